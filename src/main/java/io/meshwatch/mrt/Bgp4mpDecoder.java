package io.meshwatch.mrt;

import io.meshwatch.bgp.BgpWireException;
import io.meshwatch.bgp.Cursor;
import io.meshwatch.bgp.DecodeOptions;
import io.meshwatch.bgp.UpdateDecoder;
import io.meshwatch.bgp.UpdateMessage;
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

    private Bgp4mpDecoder() {
    }

    static MrtRecord decode(long offset, Instant time, int subtype, Cursor c, Reporter r) throws BgpWireException {
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

    private static Header header(int asSize, Cursor c) throws BgpWireException {
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
            throws BgpWireException {
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
                                            Cursor c, Reporter r) throws BgpWireException {
        Header h = header(asSize, c);
        UpdateDecoder.Message m = UpdateDecoder.message(c);
        if (m.type() != UpdateDecoder.UPDATE) {
            return null;
        }
        UpdateMessage u = UpdateDecoder.update(m.body(), DecodeOptions.unicast(asSize, addPath, null), r);
        List<Nlri> withdraw = new ArrayList<>();
        for (UpdateMessage.Withdrawal w : u.withdrawals()) {
            withdraw.addAll(w.nlri());
        }
        Afi endOfRib = u.endOfRib() == null ? null : u.endOfRib().afi();
        return new MrtRecord.Update(offset, time, h.peer(), h.peerAs(), h.localAs(), local, u.announces(),
                List.copyOf(withdraw), endOfRib);
    }
}
