package io.meshwatch.detect;

import io.meshwatch.inventory.RoutePolicy;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.AsPathSegmentType;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.RouteDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code RouteOriginUnexpected}, {@code RoutePathUnexpected} and {@code RouteMoreSpecific}, from
 * best-path changes and the inventory's route policies ({@link PolicyRanges}).
 *
 * <p>Each best path a router selects for a prefix that a policy judges is checked against it:
 * the origin (the last AS of the AS path; the router's own AS from the inventory when the path is
 * empty; a path ending in an AS_SET has no single origin and never matches) must be one of the
 * policy's {@code origins}; the neighbour (the first AS) one of its {@code neighbours}, and the AS
 * path's text must contain a match of its {@code as-path} pattern; a more-specific of the policy's
 * prefix that the inventory does not list must be no longer than {@code max-length}. Each rule
 * broken fires its signal (labels router, vrf, prefix; the policy prefix's severity, start = the
 * change's event time); a best path that keeps the rules, or the prefix's last path going, resolves
 * it. Only the best path is judged: it is the one traffic follows. Stateless: what fires is in the
 * {@link SignalBook}, so an inventory change resolves what no policy judges any more.
 */
final class PolicyDetector {

    private final SignalBook book;
    private final Supplier<Topology> topology;

    PolicyDetector(SignalBook book, Supplier<Topology> topology) {
        this.book = book;
        this.topology = topology;
    }

    void delta(String router, RouteDelta d, Instant time) {
        String vrf = Topology.vrf(d.vrf());
        PolicyRanges.Entry e = topology.get().policies().entry(vrf, d.prefix());
        Map<String, String> labels = Map.of("router", router, "vrf", vrf, "prefix", d.prefix().toString());
        Path best = d.newBest();
        if (e == null || best == null) {
            Map<String, String> why = Map.of("cause", best == null ? "no path left" : "no policy judges the prefix");
            book.resolve(SignalType.ROUTE_ORIGIN_UNEXPECTED, labels, time, why);
            book.resolve(SignalType.ROUTE_PATH_UNEXPECTED, labels, time, why);
            book.resolve(SignalType.ROUTE_MORE_SPECIFIC, labels, time, why);
            return;
        }
        RoutePolicy policy = e.policy();
        AsPath path = best.attributes().asPath();
        String text = path.toString();
        String where = d.prefix() + " on " + router + (vrf.equals("default") ? "" : " (vrf " + vrf + ")");
        String via = best.peer() != null ? best.peer().address().toString() : String.valueOf(best.attributes().nextHop());
        Map<String, String> common = new LinkedHashMap<>();
        common.put("policy", e.prefix() + (e.watched().name() == null ? "" : " (" + e.watched().name() + ")"));
        common.put("as_path", text.isEmpty() ? "(empty)" : text);
        common.put("peer", via);

        // origin
        String origin = origin(path, topology.get().routerAs(router));
        if (!policy.origins().isEmpty() && (origin == null || !policy.origins().contains(Long.parseLong(origin)))) {
            String got = origin == null ? "an AS_SET (" + lastSegment(path) + ")" : "AS " + origin;
            Map<String, String> ann = new LinkedHashMap<>(common);
            ann.put("origin_as", origin == null ? lastSegment(path) : origin);
            ann.put("expected", "origin " + list(policy.origins()));
            book.fire(SignalType.ROUTE_ORIGIN_UNEXPECTED, e.watched().severity(), labels, where + " originated by "
                    + got + ", expected " + list(policy.origins()) + " (policy of " + common.get("policy") + ")", ann,
                    time);
        } else {
            book.resolve(SignalType.ROUTE_ORIGIN_UNEXPECTED, labels, time, Map.of());
        }

        // the path: neighbour and pattern
        List<String> broken = new ArrayList<>();
        if (!policy.neighbours().isEmpty() && !path.isEmpty()
                && !policy.neighbours().contains(Integer.toUnsignedLong(path.firstAs()))) {
            broken.add("learned through AS " + Integer.toUnsignedString(path.firstAs()) + ", expected "
                    + list(policy.neighbours()));
        }
        if (e.asPath() != null && !e.asPath().matcher(text).find()) {
            broken.add("AS path '" + text + "' does not match '" + policy.asPath() + "'");
        }
        if (!broken.isEmpty()) {
            Map<String, String> ann = new LinkedHashMap<>(common);
            ann.put("cause", String.join("; ", broken));
            book.fire(SignalType.ROUTE_PATH_UNEXPECTED, e.watched().severity(), labels, where + ": "
                    + String.join("; ", broken) + " (policy of " + common.get("policy") + ")", ann, time);
        } else {
            book.resolve(SignalType.ROUTE_PATH_UNEXPECTED, labels, time, Map.of());
        }

        // a more-specific longer than the range allows
        if (!e.prefix().equals(d.prefix()) && d.prefix().length() > e.maxLength()) {
            Map<String, String> ann = new LinkedHashMap<>(common);
            ann.put("max_length", Integer.toString(e.maxLength()));
            book.fire(SignalType.ROUTE_MORE_SPECIFIC, e.watched().severity(), labels, where
                    + ": a more-specific of " + common.get("policy") + " longer than its maximum length /"
                    + e.maxLength() + ", via " + via + " (path " + common.get("as_path") + ")", ann, time);
        } else {
            book.resolve(SignalType.ROUTE_MORE_SPECIFIC, labels, time, Map.of());
        }
    }

    /** Resolves what no policy judges after an inventory change. */
    void inventoryChanged(Instant now) {
        book.resolveWhere(s -> s.type().routePolicy() && !topology.get().policies().judges(s.label("vrf"),
                        io.meshwatch.routing.Prefix.parse(s.label("prefix"))),
                now, Map.of("cause", "no policy judges the prefix any more"));
    }

    /** The origin AS as text, the router's own for an empty path (null when unknown), null for an AS_SET. */
    private static String origin(AsPath path, long routerAs) {
        if (path.isEmpty()) {
            return routerAs == 0 ? null : Long.toString(routerAs);
        }
        int last = path.segmentCount() - 1;
        if (path.segmentType(last) == AsPathSegmentType.AS_SET) {
            return null;
        }
        int[] seg = path.segment(last);
        return Integer.toUnsignedString(seg[seg.length - 1]);
    }

    private static String lastSegment(AsPath path) {
        if (path.isEmpty()) {
            return "(empty)";
        }
        int[] seg = path.segment(path.segmentCount() - 1);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < seg.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(seg[i]));
        }
        return sb.append('}').toString();
    }

    private static String list(List<Long> asns) {
        return asns.size() == 1 ? "AS " + asns.get(0)
                : asns.stream().map(String::valueOf).collect(Collectors.joining(", ", "AS ", ""));
    }
}
