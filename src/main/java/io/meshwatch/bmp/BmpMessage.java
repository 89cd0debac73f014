package io.meshwatch.bmp;

import io.meshwatch.bgp.OpenMessage;
import io.meshwatch.bgp.UpdateMessage;
import io.meshwatch.event.DownCause;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One decoded BMP v3 message (RFC 7854, RFC 8671 Adj-RIB-Out, RFC 9069 Loc-RIB). Immutable.
 * {@link #offset()} is the byte offset of the message in its connection's stream.
 */
public sealed interface BmpMessage {

    /** BMP message types (RFC 7854 4.1). */
    int ROUTE_MONITORING = 0;
    int STATISTICS_REPORT = 1;
    int PEER_DOWN = 2;
    int PEER_UP = 3;
    int INITIATION = 4;
    int TERMINATION = 5;
    int ROUTE_MIRRORING = 6;

    long offset();

    /** Metric label of the message type. */
    String typeName();

    /**
     * The per-peer header (RFC 7854 4.2).
     *
     * @param type     0 global, 1 RD instance, 2 local instance, 3 Loc-RIB instance (RFC 9069)
     * @param flags    V (0x80), L (0x40), A (0x20), O (0x10); for Loc-RIB only F (0x80)
     * @param rd       the peer distinguisher as text, null when it is all zeros
     * @param peer     peer address in canonical text
     * @param time     the router's timestamp, null when it sent zero ("unavailable")
     */
    record PeerHeader(int type, int flags, String rd, String peer, long peerAs, String bgpId, Instant time) {
        public static final int GLOBAL = 0;
        public static final int RD_INSTANCE = 1;
        public static final int LOCAL_INSTANCE = 2;
        public static final int LOC_RIB = 3;

        public boolean locRib() {
            return type == LOC_RIB;
        }

        public boolean ipv6() {
            return !locRib() && (flags & 0x80) != 0;
        }

        /** L flag: post-policy Adj-RIB-In (or Adj-RIB-Out with O). */
        public boolean postPolicy() {
            return !locRib() && (flags & 0x40) != 0;
        }

        /** A flag: AS_PATH in the legacy 2-octet format. */
        public boolean twoByteAs() {
            return !locRib() && (flags & 0x20) != 0;
        }

        /** O flag (RFC 8671): the routes are Adj-RIB-Out. */
        public boolean adjRibOut() {
            return !locRib() && (flags & 0x10) != 0;
        }

        /** F flag (RFC 9069): the Loc-RIB is filtered. */
        public boolean filtered() {
            return locRib() && (flags & 0x80) != 0;
        }

        /**
         * The canonical {@code rib}: {@code loc-rib}, {@code adj-out-post}, {@code adj-out-pre},
         * {@code adj-in-post} or {@code adj-in-pre}.
         */
        public String rib() {
            if (locRib()) {
                return "loc-rib";
            }
            if (adjRibOut()) {
                return postPolicy() ? "adj-out-post" : "adj-out-pre";
            }
            return postPolicy() ? "adj-in-post" : "adj-in-pre";
        }

        /** True for the unspecified address ({@code 0.0.0.0} or {@code ::}). */
        public boolean unspecifiedPeer() {
            return "0.0.0.0".equals(peer) || "::".equals(peer);
        }
    }

    /** Initiation (type 4): the router describes itself. */
    record Initiation(long offset, String sysName, String sysDescr, List<String> info) implements BmpMessage {
        @Override
        public String typeName() {
            return "initiation";
        }
    }

    /**
     * Termination (type 5).
     *
     * @param reason 0 administratively closed, 1 unspecified, 2 out of resources, 3 redundant
     *               connection, 4 permanently administratively closed; -1 when absent
     */
    record Termination(long offset, int reason, List<String> info) implements BmpMessage {
        @Override
        public String typeName() {
            return "termination";
        }
    }

    /**
     * Peer Up (type 3) with both OPEN messages.
     *
     * @param sent      the OPEN the monitored router sent, or null when it sent a bare OPEN header
     *                  instead (FRR's "dummy" OPEN after losing the real one)
     * @param received  the OPEN it received from the peer, or null likewise
     * @param tableName the VRF/table name TLV (RFC 9069), or null
     */
    record PeerUp(long offset, PeerHeader peer, String localAddress, int localPort, int remotePort,
                  OpenMessage sent, OpenMessage received, String tableName, List<String> info)
            implements BmpMessage {
        @Override
        public String typeName() {
            return "peer_up";
        }
    }

    /**
     * Peer Down (type 2).
     *
     * @param reason 1..5 (RFC 7854 4.9), 6 (RFC 9069), anything else as received
     * @param detail what the reason's data says, in words (NOTIFICATION code and subcode, FSM event, ...)
     * @param cause  the reason and its data as a {@link DownCause}
     */
    record PeerDown(long offset, PeerHeader peer, int reason, String detail, DownCause cause)
            implements BmpMessage {
        @Override
        public String typeName() {
            return "peer_down";
        }
    }

    /** Route Monitoring (type 0): one BGP UPDATE of the peer's RIB view. */
    record RouteMonitoring(long offset, PeerHeader peer, UpdateMessage update) implements BmpMessage {
        @Override
        public String typeName() {
            return "route_monitoring";
        }
    }

    /** Statistics Report (type 1): counters by stat type (RFC 7854 4.8); per-AFI/SAFI gauges summed. */
    record StatisticsReport(long offset, PeerHeader peer, Map<Integer, Long> counters) implements BmpMessage {
        @Override
        public String typeName() {
            return "statistics_report";
        }
    }

    /**
     * Route Mirroring (type 6).
     *
     * @param bgpMessages number of mirrored BGP messages
     * @param lostOrErrored whether an information TLV said messages were lost (code 1) or errored (code 0)
     */
    record RouteMirroring(long offset, PeerHeader peer, int bgpMessages, boolean lostOrErrored)
            implements BmpMessage {
        @Override
        public String typeName() {
            return "route_mirroring";
        }
    }
}
