package io.meshwatch.bgp;

import io.meshwatch.bgp.UpdateMessage.Announce;
import io.meshwatch.bgp.UpdateMessage.Family;
import io.meshwatch.bgp.UpdateMessage.Withdrawal;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes BGP messages (RFC 4271 4.1 header, 4.3 UPDATE). Stateless. */
public final class UpdateDecoder {

    /** BGP message types. */
    public static final int OPEN = 1;
    public static final int UPDATE = 2;
    public static final int NOTIFICATION = 3;
    public static final int KEEPALIVE = 4;

    /** Size of the BGP message header: marker, length, type. */
    public static final int HEADER = 19;

    private UpdateDecoder() {
    }

    /** A BGP message split into its type and body. */
    public record Message(int type, Cursor body) {
    }

    /**
     * Reads one BGP message (header and body) from the cursor.
     *
     * @throws BgpWireException when the header's length is below 19 or beyond the bytes left
     */
    public static Message message(Cursor c) throws BgpWireException {
        c.skip(16, "BGP marker");
        int length = c.u16("BGP message length");
        int type = c.u8("BGP message type");
        if (length < HEADER || length - HEADER > c.remaining()) {
            throw BgpWireException.malformed("BGP message length " + length + " but " + (c.remaining() + HEADER)
                    + " bytes there");
        }
        return new Message(type, c.slice(length - HEADER, "BGP message body"));
    }

    /** Decodes the body of an UPDATE. */
    public static UpdateMessage update(Cursor body, DecodeOptions o, IssueReporter r) throws BgpWireException {
        boolean v4AddPath = o.addPath().has(1, Prefixes.UNICAST);
        int withdrawnLength = body.u16("withdrawn routes length");
        List<Nlri> withdrawn = new ArrayList<>();
        Prefixes.readAll(body.slice(withdrawnLength, "withdrawn routes"), Afi.IPV4, v4AddPath, withdrawn, r);
        int attrLength = body.u16("path attribute length");
        WireAttributes a = AttributeDecoder.decode(body.slice(attrLength, "path attributes"), o, r);
        List<Nlri> nlri = new ArrayList<>();
        Prefixes.readAll(body, Afi.IPV4, v4AddPath, nlri, r);

        List<Announce> announces = new ArrayList<>(1);
        if (!nlri.isEmpty()) {
            String hop = a.nextHop != null ? a.nextHop : a.mpReachAfi == Afi.IPV4 ? a.mpNextHop : null;
            announces.add(new Announce(Prefixes.UNICAST, null, a.toCanonical(hop == null ? "0.0.0.0" : hop),
                    List.copyOf(nlri)));
        }
        if (!a.mpReach.isEmpty()) {
            BgpAttributes mp = a.toCanonical(a.mpNextHop);
            if (a.mpReachRds != null) {
                groupByRd(a.mpReach, a.mpReachRds).forEach((rd, list) ->
                        announces.add(new Announce(a.mpReachSafi, rd, mp, list)));
            } else if (!announces.isEmpty() && a.mpReachSafi == Prefixes.UNICAST
                    && announces.get(0).attributes().equals(mp)) {
                List<Nlri> all = new ArrayList<>(nlri);
                all.addAll(a.mpReach);
                announces.set(0, new Announce(Prefixes.UNICAST, null, mp, List.copyOf(all)));
            } else {
                announces.add(new Announce(a.mpReachSafi, null, mp, List.copyOf(a.mpReach)));
            }
        }
        List<Withdrawal> withdrawals = new ArrayList<>(1);
        if (!withdrawn.isEmpty()) {
            withdrawals.add(new Withdrawal(Prefixes.UNICAST, null, List.copyOf(withdrawn)));
        }
        if (!a.mpUnreach.isEmpty()) {
            if (a.mpUnreachRds != null) {
                groupByRd(a.mpUnreach, a.mpUnreachRds).forEach((rd, list) ->
                        withdrawals.add(new Withdrawal(a.mpUnreachSafi, rd, list)));
            } else {
                withdrawals.add(new Withdrawal(a.mpUnreachSafi, null, List.copyOf(a.mpUnreach)));
            }
        }
        Family endOfRib = null;
        if (withdrawnLength == 0 && attrLength == 0 && nlri.isEmpty()) {
            endOfRib = new Family(Afi.IPV4, Prefixes.UNICAST);
        } else if (withdrawnLength == 0 && nlri.isEmpty() && a.count == 1 && a.mpUnreachEndOfRib) {
            endOfRib = new Family(a.mpUnreachAfi, a.mpUnreachSafi);
        }
        return new UpdateMessage(List.copyOf(announces), List.copyOf(withdrawals), endOfRib);
    }

    private static Map<String, List<Nlri>> groupByRd(List<Nlri> nlri, List<String> rds) {
        Map<String, List<Nlri>> out = new LinkedHashMap<>();
        for (int i = 0; i < nlri.size(); i++) {
            out.computeIfAbsent(rds.get(i), k -> new ArrayList<>()).add(nlri.get(i));
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }
}
