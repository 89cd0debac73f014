package io.meshwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void metricNamesSkipFunctionsAggregationsLabelsAndRanges() {
        assertEquals(Set.of("meshwatch_ipsec_failover_duration_seconds_bucket", "meshwatch_network_tunnel_up"),
                PromQl.metricNames("histogram_quantile(0.95, sum by (le, tunnel_group) "
                        + "(rate(meshwatch_ipsec_failover_duration_seconds_bucket{tunnel_group=~\"a|b\"}[5m])))"
                        + " / on (tunnel_group) group_left (x) max without (tunnel) (meshwatch_network_tunnel_up)"));
        assertEquals(Set.of("up"), PromQl.metricNames("sum(up{job=\"meshwatch\", x='}'}) == bool 2e3 offset 5m"));
        assertEquals(Set.of("a", "b"), PromQl.metricNames("topk(10, a) unless on() b > 1"));
    }

    @Test
    void valueExpressionsDropTheTopLevelComparisonOfEachOperand() {
        assertEquals(List.of("sum by (topic) (deriv(x[10m]))", "sum by (topic) (x)"),
                PromQl.valueExpressions("sum by (topic) (deriv(x[10m])) > 0 and sum by (topic) (x) > 10000"));
        assertEquals(List.of("a - b"), PromQl.valueExpressions("a - b > 0"));
        assertEquals(List.of("up{job=\"a>b\"}"), PromQl.valueExpressions("up{job=\"a>b\"} == 0"));
        assertEquals(List.of("min_over_time(x[15m])"), PromQl.valueExpressions("min_over_time(x[15m]) > 0"));
        assertEquals(List.of("absent(up)"), PromQl.valueExpressions("absent(up)"));
        assertEquals(List.of("rate(a[5m])", "b"), PromQl.valueExpressions("rate(a[5m]) >= 1 unless b"));
    }
}
