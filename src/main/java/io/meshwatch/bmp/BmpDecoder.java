package io.meshwatch.bmp;

import io.meshwatch.bgp.AddPath;
import io.meshwatch.bgp.BgpWireException;
import io.meshwatch.bgp.Cursor;
import io.meshwatch.bgp.DecodeOptions;
import io.meshwatch.bgp.IssueReporter;
import io.meshwatch.bgp.OpenMessage;
import io.meshwatch.bgp.RouteDistinguisher;
import io.meshwatch.bgp.UpdateDecoder;
import io.meshwatch.bmp.BmpMessage.PeerHeader;
import io.meshwatch.event.DownCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes BMP v3 messages of one connection (RFC 7854, RFC 8671, RFC 9069). Plain Java, no I/O.
 *
 * <p>It remembers each peer's Peer Up so that Route Monitoring is read with the ADD-PATH
 * families both OPENs negotiated (RFC 7911: the sender said it can send and the receiver said it
 * can receive; for Adj-RIB-Out the roles swap; for a Loc-RIB instance the family is listed in its
 * fabricated OPEN). AS numbers in AS_PATH are 4 octets unless the A flag says 2.
 *
 * <p>Not thread-safe: one decoder per connection, used by the thread reading it.
 */
public final class BmpDecoder {

    public static final int VERSION = 3;
    public static final int COMMON_HEADER = 6;
    public static final int PER_PEER_HEADER = 42;
    /** Most Peer Ups remembered per connection; beyond that the oldest are forgotten. */
    static final int MAX_SESSIONS = 100_000;
    /** RFC 4271 8.1: FSM event 2 is ManualStop, 10 HoldTimer_Expires, 18 TcpConnectionFails. */
    private static final int FSM_MANUAL_STOP = 2;
    private static final int FSM_HOLD_TIMER_EXPIRES = 10;
    private static final int FSM_TCP_CONNECTION_FAILS = 18;

    private final Map<String, BmpMessage.PeerUp> sessions = new HashMap<>();
    private final IssueReporter issues;

    /** @param issues receives the parts of messages that are dropped while the rest is used */
    public BmpDecoder(IssueReporter issues) {
        this.issues = issues;
    }

    /**
     * Decodes one whole message: {@code len} bytes at {@code off}, common header included.
     *
     * @param streamOffset where the message starts in the connection's stream (for reports)
     */
    public BmpMessage decode(byte[] buf, int off, int len, long streamOffset) throws BmpFormatException {
        if (len < COMMON_HEADER) {
            throw new BmpFormatException(BmpError.BAD_LENGTH, "message of " + len + " bytes is shorter than the "
                    + "common header");
        }
        Cursor c = new Cursor(buf, off, off + len);
        try {
            int version = c.u8("version");
            long length = c.u32("message length");
            int type = c.u8("message type");
            if (version != VERSION) {
                throw new BmpFormatException(BmpError.BAD_VERSION, "version " + version + ", expected 3");
            }
            if (length != len) {
                throw new BmpFormatException(BmpError.BAD_LENGTH, "header says " + length + " bytes, given " + len);
            }
            return switch (type) {
                case BmpMessage.ROUTE_MONITORING -> routeMonitoring(streamOffset, peerHeader(c), c);
                case BmpMessage.STATISTICS_REPORT -> statistics(streamOffset, peerHeader(c), c);
                case BmpMessage.PEER_DOWN -> peerDown(streamOffset, peerHeader(c), c);
                case BmpMessage.PEER_UP -> peerUp(streamOffset, peerHeader(c), c);
                case BmpMessage.INITIATION -> initiation(streamOffset, c);
                case BmpMessage.TERMINATION -> termination(streamOffset, c);
                case BmpMessage.ROUTE_MIRRORING -> mirroring(streamOffset, peerHeader(c), c);
                default -> throw new BmpFormatException(BmpError.UNKNOWN_TYPE, "message type " + type);
            };
        } catch (BgpWireException e) {
            throw new BmpFormatException(BmpError.MALFORMED, e.getMessage());
        }
    }

    /** The Peer Up remembered for this peer, or null. */
    BmpMessage.PeerUp session(PeerHeader h) {
        return sessions.get(key(h));
    }

    private static String key(PeerHeader h) {
        return h.type() + "|" + h.rd() + "|" + h.peer();
    }

    static PeerHeader peerHeader(Cursor c) throws BgpWireException {
        int type = c.u8("peer type");
        int flags = c.u8("peer flags");
        int rdType = c.u16("peer distinguisher");
        long rdValue = ((long) c.u16("peer distinguisher") << 32) | c.u32("peer distinguisher");
        String rd = RouteDistinguisher.isZero(rdType, rdValue) ? null : RouteDistinguisher.format(rdType, rdValue);
        boolean v6 = type != PeerHeader.LOC_RIB && (flags & 0x80) != 0;
        String peer = address(c, v6, "peer address");
        long as = c.u32("peer AS");
        String bgpId = c.ipv4("peer BGP id");
        long seconds = c.u32("timestamp seconds");
        long micros = c.u32("timestamp microseconds");
        Instant time = seconds == 0 && micros == 0 ? null
                : Instant.ofEpochSecond(seconds, Math.min(micros, 999_999) * 1000);
        return new PeerHeader(type, flags, rd, peer, as, bgpId, time);
    }

    private static String address(Cursor c, boolean v6, String what) throws BgpWireException {
        if (v6) {
            return c.ipv6(what);
        }
        c.skip(12, what);
        return c.ipv4(what);
    }

    private BmpMessage.RouteMonitoring routeMonitoring(long at, PeerHeader h, Cursor c)
            throws BgpWireException, BmpFormatException {
        UpdateDecoder.Message m = UpdateDecoder.message(c);
        if (m.type() != UpdateDecoder.UPDATE) {
            throw new BmpFormatException(BmpError.MALFORMED, "route monitoring carries BGP message type "
                    + m.type() + ", not an UPDATE");
        }
        DecodeOptions o = new DecodeOptions(h.twoByteAs() ? 2 : 4, addPath(h), true, null);
        return new BmpMessage.RouteMonitoring(at, h, UpdateDecoder.update(m.body(), o, issues));
    }

    /** ADD-PATH families of this peer's RIB view, from the OPENs of its Peer Up. */
    private AddPath addPath(PeerHeader h) {
        BmpMessage.PeerUp up = sessions.get(key(h));
        if (up == null) {
            return AddPath.NONE;
        }
        OpenMessage local = up.sent();
        OpenMessage remote = up.received();
        if (local == null || remote == null) {
            return AddPath.NONE;
        }
        if (h.locRib()) {
            return (afi, safi) -> local.addPath().containsKey(afi << 8 | safi)
                    || remote.addPath().containsKey(afi << 8 | safi);
        }
        if (h.adjRibOut()) {
            return (afi, safi) -> local.canSend(afi, safi) && remote.canReceive(afi, safi);
        }
        return (afi, safi) -> remote.canSend(afi, safi) && local.canReceive(afi, safi);
    }

    private BmpMessage.PeerUp peerUp(long at, PeerHeader h, Cursor c) throws BgpWireException, BmpFormatException {
        String local = address(c, h.ipv6(), "local address");
        int localPort = c.u16("local port");
        int remotePort = c.u16("remote port");
        OpenMessage sent = open(c, "sent OPEN");
        OpenMessage received = open(c, "received OPEN");
        String table = null;
        List<String> info = new ArrayList<>();
        while (c.hasRemaining()) {
            int type = c.u16("information type");
            String value = c.slice(c.u16("information length"), "information").utf8Rest();
            if (type == 3) {
                table = value;
            } else {
                info.add(value);
            }
        }
        BmpMessage.PeerUp up = new BmpMessage.PeerUp(at, h, local, localPort, remotePort, sent, received, table,
                List.copyOf(info));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.clear();
        }
        sessions.put(key(h), up);
        return up;
    }

    private static OpenMessage open(Cursor c, String what) throws BgpWireException, BmpFormatException {
        UpdateDecoder.Message m = UpdateDecoder.message(c);
        if (m.type() != UpdateDecoder.OPEN) {
            throw new BmpFormatException(BmpError.MALFORMED, what + " is BGP message type " + m.type());
        }
        if (!m.body().hasRemaining()) {
            // FRR's "dummy" OPEN (a bare header) when it lost the real one, e.g. after a connection
            // collision: the session is up, its OPEN unknown
            return null;
        }
        return OpenMessage.decode(m.body());
    }

    private BmpMessage.PeerDown peerDown(long at, PeerHeader h, Cursor c) throws BgpWireException {
        int reason = c.u8("peer down reason");
        String detail;
        DownCause cause;
        switch (reason) {
            case 1 -> {
                Notice n = notification(c);
                detail = "local system closed the session, " + n.text();
                cause = n.code() < 0 ? DownCause.NOTIFICATION_SENT : DownCause.ofNotification(n.code(), n.subcode(), true);
            }
            case 2 -> {
                int event = c.remaining() >= 2 ? c.u16("FSM event") : -1;
                detail = "local system closed the session, FSM event " + (event < 0 ? "?" : event)
                        + (event == FSM_HOLD_TIMER_EXPIRES ? " (hold timer expired)"
                        : event == 0 ? " (none given)" : "");
                cause = switch (event) {
                    case FSM_HOLD_TIMER_EXPIRES -> DownCause.HOLD_TIMER_EXPIRED;
                    case FSM_MANUAL_STOP -> DownCause.ADMINISTRATIVE;
                    case FSM_TCP_CONNECTION_FAILS -> DownCause.CONNECTION_CLOSED;
                    // FRR 8.4 sends event 0 for every local close (hold timer, clear, shutdown alike)
                    case 0, -1 -> DownCause.LOCAL_CLOSE;
                    default -> DownCause.OTHER;
                };
            }
            case 3 -> {
                Notice n = notification(c);
                detail = "remote system closed the session, " + n.text();
                cause = n.code() < 0 ? DownCause.NOTIFICATION_RECEIVED
                        : DownCause.ofNotification(n.code(), n.subcode(), false);
            }
            case 4 -> {
                detail = "remote system closed the session without a NOTIFICATION";
                cause = DownCause.CONNECTION_CLOSED;
            }
            case 5 -> {
                detail = "peer de-configured";
                cause = DownCause.ADMINISTRATIVE;
            }
            case 6 -> {
                detail = "local system closed the session" + tlvText(c);
                cause = DownCause.OTHER;
            }
            default -> {
                detail = "peer down reason " + reason;
                cause = DownCause.OTHER;
            }
        }
        sessions.remove(key(h));
        return new BmpMessage.PeerDown(at, h, reason, detail, cause);
    }

    /** A NOTIFICATION in words, with its code and subcode (-1 when there is none). */
    private record Notice(String text, int code, int subcode) {
    }

    private static Notice notification(Cursor c) throws BgpWireException {
        if (!c.hasRemaining()) {
            return new Notice("no NOTIFICATION", -1, -1);
        }
        UpdateDecoder.Message m = UpdateDecoder.message(c);
        if (m.type() != UpdateDecoder.NOTIFICATION || m.body().remaining() < 2) {
            return new Notice("BGP message type " + m.type() + " instead of a NOTIFICATION", -1, -1);
        }
        int code = m.body().u8("NOTIFICATION code");
        int sub = m.body().u8("NOTIFICATION subcode");
        return new Notice(Notifications.describe(code, sub), code, sub);
    }

    private static String tlvText(Cursor c) throws BgpWireException {
        StringBuilder sb = new StringBuilder();
        while (c.remaining() >= 4) {
            int type = c.u16("TLV type");
            String v = c.slice(c.u16("TLV length"), "TLV").utf8Rest();
            sb.append(type == 3 ? ", table " : ", TLV " + type + " ").append(v);
        }
        return sb.toString();
    }

    private static BmpMessage.StatisticsReport statistics(long at, PeerHeader h, Cursor c) throws BgpWireException {
        long n = c.u32("statistics count");
        Map<Integer, Long> counters = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            int type = c.u16("stat type");
            Cursor v = c.slice(c.u16("stat length"), "stat value");
            long value = switch (v.remaining()) {
                case 4 -> v.u32("stat value");
                case 8 -> v.u64("stat value");
                case 11 -> {
                    v.skip(3, "stat AFI/SAFI");
                    yield v.u64("stat value");
                }
                default -> -1;
            };
            if (value >= 0) {
                counters.merge(type, value, Long::sum);
            }
        }
        return new BmpMessage.StatisticsReport(at, h, counters);
    }

    private static BmpMessage.RouteMirroring mirroring(long at, PeerHeader h, Cursor c) throws BgpWireException {
        int messages = 0;
        boolean lost = false;
        while (c.hasRemaining()) {
            int type = c.u16("mirroring TLV type");
            Cursor v = c.slice(c.u16("mirroring TLV length"), "mirroring TLV");
            if (type == 0) {
                messages++;
            } else if (type == 1) {
                lost = true;
            }
        }
        return new BmpMessage.RouteMirroring(at, h, messages, lost);
    }

    private static BmpMessage.Initiation initiation(long at, Cursor c) throws BgpWireException {
        String name = null;
        String descr = null;
        List<String> info = new ArrayList<>();
        while (c.hasRemaining()) {
            int type = c.u16("initiation TLV type");
            String value = c.slice(c.u16("initiation TLV length"), "initiation TLV").utf8Rest();
            switch (type) {
                case 1 -> descr = value;
                case 2 -> name = value;
                default -> info.add(value);
            }
        }
        return new BmpMessage.Initiation(at, name, descr, List.copyOf(info));
    }

    private static BmpMessage.Termination termination(long at, Cursor c) throws BgpWireException {
        int reason = -1;
        List<String> info = new ArrayList<>();
        while (c.hasRemaining()) {
            int type = c.u16("termination TLV type");
            Cursor v = c.slice(c.u16("termination TLV length"), "termination TLV");
            if (type == 1 && v.remaining() == 2) {
                reason = v.u16("termination reason");
            } else {
                info.add(v.utf8Rest());
            }
        }
        return new BmpMessage.Termination(at, reason, List.copyOf(info));
    }
}
