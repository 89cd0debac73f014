package io.meshwatch.detect;

import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.RoutePolicy;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.WatchedPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route policy rules, each on both sides: origin, neighbour, AS-path pattern, more-specifics
 * up to the maximum length, a listed more-specific judged by its own entry, correlation of one
 * range's signals, and an inventory change.
 */
class RoutePolicyDetectionTest {

    static final String OTHER_PEER = "198.51.100.1";
    static final long OTHER_AS = 65099;

    /** The test network, with policies on the AWS VPC range (origin, neighbour, /20) and the Azure VNets (pattern). */
    static Inventory withPolicies() {
        return withPolicies(new RoutePolicy(List.of(AWS_AS), List.of(AWS_AS), null, 20));
    }

    static Inventory withPolicies(RoutePolicy vpcs) {
        Inventory base = TestNetwork.inventory();
        List<WatchedPrefix> prefixes = new ArrayList<>();
        for (WatchedPrefix w : base.prefixes()) {
            RoutePolicy p = w.prefix().equals(VPCS) ? vpcs
                    : w.prefix().equals(VNETS) ? new RoutePolicy(List.of(), List.of(), "^12076( 12076)*$", null)
                    : null;
            prefixes.add(new WatchedPrefix(w.prefix(), w.vrf(), w.name(), w.severity(), w.routers(), p));
        }
        return new Inventory(base.routers(), base.circuits(), base.tunnelGroups(), prefixes);
    }

    static Scenario steady() {
        Scenario s = Scenario.with(withPolicies()).at(0).bestVia(CX, VPCS, DX_PEER).bestVia(TR, VPCS, DX_PEER_TR);
        s.silent(); // one AS, 64512: the policy's origin and neighbour
        return s;
    }

    @Test
    void anExpectedOriginIsSilent() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64512 64512").silent();
    }

    @Test
    void anUnexpectedOriginFiresWithTheOriginAndResolvesWhenTheExpectedOneIsBest() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64666");
        Signal f = s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED, "router", CX, "prefix", VPCS);
        s.silent();
        assertEquals(Severity.MAJOR, f.severity(), "the watched prefix's severity");
        assertEquals("64666", f.annotation("origin_as"));
        assertEquals("origin AS 64512", f.annotation("expected"));
        assertEquals(Scenario.t(10), f.startedAt());
        assertEquals("10.1.0.0/16 on cx-ash originated by AS 64666, expected AS 64512 (policy of 10.1.0.0/16 "
                + "(AWS us-east-1 VPCs))", f.summary());
        s.at(20).bestVia(CX, VPCS, DX_PEER);
        assertEquals(Scenario.t(20), s.resolved(SignalType.ROUTE_ORIGIN_UNEXPECTED).endedAt());
        s.silent();
    }

    @Test
    void aPathEndingInAnAsSetHasNoSingleOriginAndNeverMatches() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 {64512,64513}");
        assertEquals("{64512,64513}", s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED).annotation("origin_as"));
        s.silent();
    }

    @Test
    void anEmptyPathIsOriginatedByTheRoutersOwnAs() {
        Scenario wrong = steady();
        wrong.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "");
        assertEquals("65010", wrong.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED).annotation("origin_as"),
                "cx-ash's own AS in the inventory");
        Scenario right = Scenario.with(withPolicies(new RoutePolicy(List.of(AWS_AS, 65010L), List.of(), null, null)))
                .at(0).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "");
        right.silent();
    }

    @Test
    void aNeighbourTheRangeMayNotBeLearnedThroughFiresThePathSignal() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, OTHER_AS, "65099 64512");
        Signal f = s.fired(SignalType.ROUTE_PATH_UNEXPECTED, "router", CX, "prefix", VPCS);
        s.silent(); // the origin is right
        assertEquals("learned through AS 65099, expected AS 64512", f.annotation("cause"));
        assertEquals("65099 64512", f.annotation("as_path"));
        assertEquals(OTHER_PEER, f.annotation("peer"));
        s.at(11).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64512");
        s.resolved(SignalType.ROUTE_PATH_UNEXPECTED);
        s.silent();
    }

    @Test
    void theAsPathMustContainAMatchOfThePattern() {
        Scenario s = Scenario.with(withPolicies()).at(0).bestWithPath(CX, VNETS, ER_PEER, AZURE_AS, "12076 12076");
        s.silent();
        s.at(5).bestWithPath(CX, VNETS, OTHER_PEER, OTHER_AS, "65099 3356 12076");
        assertEquals("AS path '65099 3356 12076' does not match '^12076( 12076)*$'",
                s.fired(SignalType.ROUTE_PATH_UNEXPECTED, "prefix", VNETS).annotation("cause"));
        s.silent();
    }

    @Test
    void moreSpecificsUpToTheMaximumLengthAreExpectedLongerOnesFire() {
        Scenario s = steady();
        s.at(10).bestVia(CX, "10.1.64.0/20", DX_PEER).silent();
        s.at(11).bestVia(CX, "10.1.64.0/21", DX_PEER);
        Signal f = s.fired(SignalType.ROUTE_MORE_SPECIFIC, "router", CX, "prefix", "10.1.64.0/21");
        s.silent();
        assertEquals("20", f.annotation("max_length"));
        assertEquals("10.1.0.0/16 (AWS us-east-1 VPCs)", f.annotation("policy"));
        s.at(12).withdrawn(CX, "10.1.64.0/21");
        assertEquals("no path left", s.resolved(SignalType.ROUTE_MORE_SPECIFIC).annotation("cause"));
        s.silent();
    }

    @Test
    void aMoreSpecificTheInventoryListsIsJudgedByItsOwnEntryOnly() {
        Scenario s = steady();
        // 10.1.200.0/24 (PrivateLink) is listed without a policy: neither its length nor its origin is judged
        s.at(10).bestWithPath(CX, PRIVATELINK, OTHER_PEER, OTHER_AS, "65099 64666").silent();
        // a prefix outside every policy's range is not judged either
        s.at(11).bestWithPath(CX, "10.2.0.0/24", OTHER_PEER, OTHER_AS, "65099 64666").silent();
    }

    @Test
    void oneRangesSignalsOnSeveralRoutersAreOneIncidentTheFirstItsRoot() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64666");
        Signal root = s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED, "router", CX);
        s.at(12).bestWithPath(TR, VPCS, OTHER_PEER, AWS_AS, "64512 64666").bestWithPath(TR, "10.1.7.0/24",
                OTHER_PEER, AWS_AS, "64512 64666");
        Signal child = s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED, "router", TR, "prefix", VPCS);
        Signal more = s.fired(SignalType.ROUTE_MORE_SPECIFIC, "router", TR);
        s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED, "router", TR, "prefix", "10.1.7.0/24");
        s.silent();
        assertFalse(root.inhibited());
        assertEquals(root.incidentId(), child.incidentId());
        assertEquals(root.incidentId(), more.incidentId());
        assertTrue(child.inhibited() && more.inhibited(), "the root speaks for the range");
        Incident i = s.incident(root.incidentId());
        assertEquals(List.of(CX + " 10.1.0.0/16", TR + " 10.1.0.0/16", TR + " 10.1.7.0/24"),
                i.impact().prefixesMoved());
    }

    @Test
    void aPolicyRemovedFromTheInventoryResolvesItsSignals() {
        Scenario s = steady();
        s.at(10).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64666");
        s.fired(SignalType.ROUTE_ORIGIN_UNEXPECTED);
        s.at(20).engine.inventory(TestNetwork.inventory());
        assertEquals("no policy judges the prefix any more",
                s.resolved(SignalType.ROUTE_ORIGIN_UNEXPECTED).annotation("cause"));
        s.silent();
        s.at(30).bestWithPath(CX, VPCS, OTHER_PEER, AWS_AS, "64512 64777").silent();
    }
}
