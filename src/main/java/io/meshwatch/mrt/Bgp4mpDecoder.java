package io.meshwatch.mrt;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes BGP4MP and BGP4MP_ET records (RFC 6396 4.4, RFC 8050 ADD-PATH subtypes): STATE_CHANGE
 * and UPDATE messages. OPEN, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH decode to null. Stateless.
 */
final class Bgp4mpDecoder {

    private static final int UPDATE = 2;

    private Bgp4mpDecoder() {
    }

    static MrtRecord decode(long offset, Instant time, int subtype, Cursor c, Reporter r) throws MrtFormatException {
        return switch (subtype) {
            case 0 -> state(offset, time, 2, c);
            case 5 -> state(offset, time, 4, c);
            case 1 -> message(offset, time, 2, false, false, c, r);
            case 4 -> message(offset, time, 4, false, false, c, r);
            case 6 -> message(offset, time, 2, true, false, c, r);
            case 7 -> message(offset, time, 4, true, false, c, r);
            case 8 -> message(offset, time, 2, false, true, c, r);
            case 9 -> message(offset, time, 4, false, true, c, r);
            case 10 -> message(offset, time, 2, true, true, c, r);
            case 11 -> message(offset, time, 4, true, true, c, r);
            default -> throw new MrtFormatException(SkipReason.UNSUPPORTED_SUBTYPE, "BGP4MP subtype " + subtype);
        };
    }

    /** The peer/local AS, interface index, AFI and addresses every BGP4MP subtype starts with. */
    private record Header(long peerAs, long localAs, String peer, String local) {
    }

    private static Header header(int asSize, Cursor c) throws MrtFormatException {
        long peerAs = asSize == 4 ? c.u32("peer AS") : c.u16("peer AS");
        long localAs = asSize == 4 ? c.u32("local AS") : c.u16("local AS");
        c.u16("interface index");
        int afi = c.u16("address family");
        if (afi != 1 && afi != 2) {
            throw new MrtFormatException(SkipReason.MALFORMED, "BGP4MP address family " + afi + " is not 1 or 2");
        }
        String peer = c.address(afi == 2, "peer address");
        String local = c.address(afi == 2, "local address");
        return new Header(peerAs, localAs, peer, local);
    }

    private static MrtRecord.StateChange state(long offset, Instant time, int asSize, Cursor c)
            throws MrtFormatException {
        Header h = header(asSize, c);
        int oldState = c.u16("old state");
        int newState = c.u16("new state");
        if (oldState < 1 || oldState > 6 || newState < 1 || newState > 6) {
            throw new MrtFormatException(SkipReason.BAD_STATE, "STATE_CHANGE " + oldState + " -> " + newState
                    + " (FSM codes are 1..6)");
        }
        return new MrtRecord.StateChange(offset, time, h.peer(), h.peerAs(), h.localAs(), oldState, newState);
    }

    private static MrtRecord.Update message(long offset, Instant time, int asSize, boolean local, boolean addPath,
                                            Cursor c, Reporter r) throws MrtFormatException {
        Header h = header(asSize, c);
        c.skip(16, "BGP marker");
        int length = c.u16("BGP message length");
        int type = c.u8("BGP message type");
        if (length < 19 || length - 19 > c.remaining()) {
            throw new MrtFormatException(SkipReason.MALFORMED, "BGP message length " + length + " but "
                    + (c.remaining() + 19) + " bytes in the record");
        }
        if (type != UPDATE) {
            return null;
        }
        Cursor body = c.slice(length - 19, "UPDATE");
        int withdrawnLength = body.u16("withdrawn routes length");
        List<Nlri> withdraw = new ArrayList<>();
        Prefixes.readAll(body.slice(withdrawnLength, "withdrawn routes"), Afi.IPV4, addPath, withdraw, r);
        int attrLength = body.u16("path attribute length");
        PathAttributes a = AttributeDecoder.decode(body.slice(attrLength, "path attributes"), asSize, addPath, null, r);
        List<Nlri> nlri = new ArrayList<>();
        Prefixes.readAll(body, Afi.IPV4, addPath, nlri, r);

        List<MrtRecord.Announce> announces = new ArrayList<>(1);
        if (!nlri.isEmpty()) {
            String hop = a.nextHop != null ? a.nextHop : a.mpReachAfi == Afi.IPV4 ? a.mpNextHop : null;
            announces.add(new MrtRecord.Announce(a.toCanonical(hop == null ? "0.0.0.0" : hop), List.copyOf(nlri)));
        }
        if (!a.mpReach.isEmpty()) {
            BgpAttributes mp = a.toCanonical(a.mpNextHop);
            if (!announces.isEmpty() && announces.get(0).attributes().equals(mp)) {
                List<Nlri> all = new ArrayList<>(nlri);
                all.addAll(a.mpReach);
                announces.set(0, new MrtRecord.Announce(mp, List.copyOf(all)));
            } else {
                announces.add(new MrtRecord.Announce(mp, List.copyOf(a.mpReach)));
            }
        }
        withdraw.addAll(a.mpUnreach);
        Afi endOfRib = null;
        if (withdrawnLength == 0 && attrLength == 0 && nlri.isEmpty()) {
            endOfRib = Afi.IPV4;
        } else if (withdrawnLength == 0 && nlri.isEmpty() && a.count == 1 && a.mpUnreachEndOfRib) {
            endOfRib = a.mpUnreachAfi;
        }
        return new MrtRecord.Update(offset, time, h.peer(), h.peerAs(), h.localAs(), local, List.copyOf(announces),
                List.copyOf(withdraw), endOfRib);
    }
}
