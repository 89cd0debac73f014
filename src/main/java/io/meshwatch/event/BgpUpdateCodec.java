package io.meshwatch.event;

import static io.meshwatch.event.JsonFields.address;
import static io.meshwatch.event.JsonFields.asNumber;
import static io.meshwatch.event.JsonFields.bool;
import static io.meshwatch.event.JsonFields.checkInteger;
import static io.meshwatch.event.JsonFields.integer;
import static io.meshwatch.event.JsonFields.node;
import static io.meshwatch.event.JsonFields.object;
import static io.meshwatch.event.JsonFields.oneOf;
import static io.meshwatch.event.JsonFields.strings;
import static io.meshwatch.event.JsonFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decoding of the {@code bgp.update} payload, the largest and hottest event type. Stateless. */
final class BgpUpdateCodec {

    private static final String AT = "payload.";

    BgpUpdateEvent decode(String router, Instant time, String vrf, JsonNode p) throws RejectedRecordException {
        String peer = address(p, AT, "peer", true);
        long peerAs = asNumber(p, AT, "peer_as");
        String rib = oneOf(p, AT, "rib", false, EventCodec.RIBS);
        List<Nlri> announce = nlris(p, "announce");
        List<Nlri> withdraw = nlris(p, "withdraw");
        if (announce.isEmpty() && withdraw.isEmpty()) {
            throw new RejectedRecordException(RejectReason.MISSING_FIELD,
                    "bgp.update needs at least one prefix in 'payload.announce' or 'payload.withdraw'");
        }
        BgpAttributes attrs = null;
        if (!announce.isEmpty()) {
            attrs = attributes(object(p, AT, "attributes", true));
        } else {
            object(p, AT, "attributes", false); // ignored on a withdraw-only update, but must be an object
        }
        return new BgpUpdateEvent(router, time, vrf, peer, peerAs, rib == null ? "adj-in-post" : rib, attrs,
                announce, withdraw);
    }

    private static List<Nlri> nlris(JsonNode p, String field) throws RejectedRecordException {
        JsonNode arr = node(p, AT, field, false);
        if (arr == null) {
            return List.of();
        }
        if (!arr.isArray()) {
            throw wrongType(AT + field, "an array of prefixes", arr);
        }
        List<Nlri> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (e.isTextual()) {
                // hot path: no field path is built unless the prefix is refused
                Prefix prefix;
                try {
                    prefix = Prefix.parse(e.textValue());
                } catch (IllegalArgumentException bad) {
                    throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                            "field '" + AT + field + "[" + i + "]': " + bad.getMessage());
                }
                out.add(new Nlri(prefix, 0));
                continue;
            }
            String where = AT + field + "[" + i + "]";
            if (e.isObject()) {
                JsonNode pfx = node(e, where + ".", "prefix", true);
                if (!pfx.isTextual()) {
                    throw wrongType(where + ".prefix", "a string", pfx);
                }
                Long id = integer(e, where + ".", "path_id", false, 0, 0xFFFF_FFFFL);
                long pathId = id == null ? 0 : id;
                out.add(new Nlri(JsonFields.prefix(pfx.textValue(), where + ".prefix"), pathId));
            } else {
                throw wrongType(where, "a prefix string or {prefix, path_id}", e);
            }
        }
        return out;
    }

    private static BgpAttributes attributes(JsonNode a) throws RejectedRecordException {
        String at = AT + "attributes.";
        String origin = oneOf(a, at, "origin", true, EventCodec.ORIGINS);
        List<Object> asPath = asPath(a, at);
        String nextHop = address(a, at, "next_hop", true);
        Long localPref = integer(a, at, "local_pref", false, 0, 0xFFFF_FFFFL);
        Long med = integer(a, at, "med", false, 0, 0xFFFF_FFFFL);
        List<String> communities = strings(a, at, "communities");
        for (int i = 0; i < communities.size(); i++) {
            checkCommunity(communities.get(i), 2, 0xFFFFL, at, "communities", i);
        }
        List<String> large = strings(a, at, "large_communities");
        for (int i = 0; i < large.size(); i++) {
            checkCommunity(large.get(i), 3, 0xFFFF_FFFFL, at, "large_communities", i);
        }
        List<String> ext = strings(a, at, "ext_communities");
        String originator = JsonFields.text(a, at, "originator_id", false);
        String originatorId = originator == null ? null : JsonFields.ipv4(originator, at + "originator_id");
        List<String> clusterList = strings(a, at, "cluster_list");
        List<String> canonicalClusters = new ArrayList<>(clusterList.size());
        for (int i = 0; i < clusterList.size(); i++) {
            canonicalClusters.add(JsonFields.ipv4(clusterList.get(i), at + "cluster_list[" + i + "]"));
        }
        return new BgpAttributes(origin, asPath, nextHop, localPref, med, communities, large, ext, originatorId,
                canonicalClusters, bool(a, at, "atomic_aggregate"));
    }

    private static List<Object> asPath(JsonNode a, String at) throws RejectedRecordException {
        JsonNode arr = node(a, at, "as_path", true);
        if (!arr.isArray()) {
            throw wrongType(at + "as_path", "an array of AS numbers and AS sets", arr);
        }
        List<Object> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (e.isIntegralNumber() && e.canConvertToLong() && e.longValue() >= 0
                    && e.longValue() <= JsonFields.MAX_AS) {
                out.add(e.longValue()); // hot path: a valid AS_SEQUENCE member
                continue;
            }
            String where = at + "as_path[" + i + "]";
            if (e.isArray()) {
                if (e.isEmpty()) {
                    throw new RejectedRecordException(RejectReason.INVALID_VALUE, "field '" + where
                            + "' is an empty AS_SET");
                }
                List<Long> set = new ArrayList<>(e.size());
                for (int j = 0; j < e.size(); j++) {
                    set.add(checkInteger(e.get(j), where + "[" + j + "]", 0, JsonFields.MAX_AS));
                }
                out.add(List.copyOf(set));
            } else {
                out.add(checkInteger(e, where, 0, JsonFields.MAX_AS));
            }
        }
        return out;
    }

    private static void checkCommunity(String c, int parts, long max, String at, String field, int index)
            throws RejectedRecordException {
        String[] f = c.split(":", -1);
        boolean ok = f.length == parts;
        for (int i = 0; ok && i < f.length; i++) {
            ok = !f[i].isEmpty() && f[i].length() <= 10 && f[i].chars().allMatch(ch -> ch >= '0' && ch <= '9');
            if (!ok) {
                break;
            }
            try {
                long v = Long.parseLong(f[i]);
                ok = v >= 0 && v <= max;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE, "field '" + at + field + "[" + index + "]' is '" + c
                    + "', expected " + (parts == 2 ? "asn:value (each 0..65535)" : "global:local1:local2"));
        }
    }
}
