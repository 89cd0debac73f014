package io.meshwatch.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds the JSON envelope of an event; null fields are left out. Stateless. */
final class EventEncoder {

    private EventEncoder() {
    }

    static ObjectNode envelope(ObjectMapper mapper, CanonicalEvent e, String source) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", EventCodec.VERSION);
        root.put("type", e.type().wire());
        root.put("router", e.router());
        root.put("time", e.time().toString());
        if (source != null) {
            root.put("source", source);
        }
        ObjectNode p = root.putObject("payload");
        switch (e.type()) {
            case BGP_PEER_STATE -> {
                PeerStateEvent s = (PeerStateEvent) e;
                p.put("vrf", s.vrf());
                p.put("peer", s.peer());
                p.put("peer_as", s.peerAs());
                putIfSet(p, "local_as", s.localAs());
                p.put("state", s.state().wire());
                putIfSet(p, "reason", s.reason());
                putIfSet(p, "hold_time", s.holdTime());
                putIfSet(p, "keepalive", s.keepalive());
                putIfSet(p, "cause", s.cause() == null ? null : s.cause().wire());
            }
            case BGP_UPDATE -> update(p, (BgpUpdateEvent) e);
            case BGP_END_OF_RIB -> {
                EndOfRibEvent r = (EndOfRibEvent) e;
                p.put("vrf", r.vrf());
                p.put("peer", r.peer());
                p.put("peer_as", r.peerAs());
                p.put("afi", r.afi().wireName());
            }
            case BGP_FEED_STATE -> {
                FeedStateEvent f = (FeedStateEvent) e;
                p.put("feed", f.feed());
                p.put("state", f.state());
                putIfSet(p, "reason", f.reason());
            }
            case INTERFACE_STATE -> {
                InterfaceStateEvent i = (InterfaceStateEvent) e;
                p.put("interface", i.iface());
                p.put("oper_status", i.operStatus());
                putIfSet(p, "admin_status", i.adminStatus());
            }
            case INTERFACE_COUNTERS -> {
                InterfaceCountersEvent c = (InterfaceCountersEvent) e;
                p.put("interface", c.iface());
                putIfSet(p, "in_octets", c.inOctets());
                putIfSet(p, "out_octets", c.outOctets());
                putIfSet(p, "in_packets", c.inPackets());
                putIfSet(p, "out_packets", c.outPackets());
                putIfSet(p, "in_errors", c.inErrors());
                putIfSet(p, "out_errors", c.outErrors());
                putIfSet(p, "in_discards", c.inDiscards());
                putIfSet(p, "out_discards", c.outDiscards());
            }
            case IPSEC_TUNNEL_STATE -> {
                TunnelStateEvent t = (TunnelStateEvent) e;
                p.put("tunnel", t.tunnel());
                p.put("state", t.state());
                putIfSet(p, "signal", t.signal());
                putIfSet(p, "bytes_in", t.bytesIn());
                putIfSet(p, "bytes_out", t.bytesOut());
            }
            case PROBE_RESULT -> {
                ProbeResultEvent r = (ProbeResultEvent) e;
                p.put("target", r.target());
                putIfSet(p, "circuit", r.circuit());
                putIfSet(p, "tunnel", r.tunnel());
                p.put("latency_ms", r.latencyMs());
                p.put("jitter_ms", r.jitterMs());
                p.put("loss_pct", r.lossPct());
                p.put("sent", r.sent());
                p.put("received", r.received());
            }
            case TCP_RETRANSMITS -> {
                TcpRetransmitsEvent t = (TcpRetransmitsEvent) e;
                p.put("remote", t.remote());
                p.put("interval_s", t.intervalS());
                p.put("segments_out", t.segmentsOut());
                p.put("retransmits", t.retransmits());
            }
        }
        return root;
    }

    private static void update(ObjectNode p, BgpUpdateEvent u) {
        p.put("vrf", u.vrf());
        p.put("peer", u.peer());
        p.put("peer_as", u.peerAs());
        p.put("rib", u.rib());
        BgpAttributes a = u.attributes();
        if (a != null) {
            ObjectNode o = p.putObject("attributes");
            o.put("origin", a.origin());
            ArrayNode path = o.putArray("as_path");
            for (Object seg : a.asPath()) {
                if (seg instanceof List<?> set) {
                    ArrayNode s = path.addArray();
                    set.forEach(asn -> s.add((Long) asn));
                } else {
                    path.add((Long) seg);
                }
            }
            o.put("next_hop", a.nextHop());
            putIfSet(o, "local_pref", a.localPref());
            putIfSet(o, "med", a.med());
            strings(o, "communities", a.communities());
            strings(o, "large_communities", a.largeCommunities());
            strings(o, "ext_communities", a.extCommunities());
            putIfSet(o, "originator_id", a.originatorId());
            strings(o, "cluster_list", a.clusterList());
            if (a.atomicAggregate()) {
                o.put("atomic_aggregate", true);
            }
        }
        nlris(p, "announce", u.announce());
        nlris(p, "withdraw", u.withdraw());
    }

    private static void nlris(ObjectNode p, String field, List<Nlri> list) {
        if (list.isEmpty()) {
            return;
        }
        ArrayNode arr = p.putArray(field);
        for (Nlri n : list) {
            if (n.pathId() == 0) {
                arr.add(n.prefix().toString());
            } else {
                arr.addObject().put("prefix", n.prefix().toString()).put("path_id", n.pathId());
            }
        }
    }

    private static void strings(ObjectNode o, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode arr = o.putArray(field);
            values.forEach(arr::add);
        }
    }

    private static void putIfSet(ObjectNode o, String field, Object value) {
        if (value instanceof String s) {
            o.put(field, s);
        } else if (value instanceof Long l) {
            o.put(field, l);
        } else if (value instanceof Integer i) {
            o.put(field, i);
        }
    }
}
