package io.meshwatch.bench;

import io.meshwatch.bmp.BmpDecoder;
import io.meshwatch.bmp.BmpEventMapper;
import io.meshwatch.bmp.BmpFormatException;
import io.meshwatch.bmp.BmpFramer;
import io.meshwatch.bmp.BmpMessage;
import io.meshwatch.bmp.BmpWriter;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.SyntheticTable;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BMP decode rates, printed as {@code RESULT name value} lines: a full IPv4 table (1.0M distinct
 * prefixes of {@link SyntheticTable}, one eBGP peer, UPDATEs of 1..8 prefixes with 4-octet AS
 * paths, NEXT_HOP, MED on a third, standard communities) as one router's BMP stream: Initiation,
 * Peer Up, about 222k post-policy Route Monitoring messages. Built untimed in memory, then timed
 * on one thread, fed to the framer in 64 KiB reads as a socket would deliver it:
 * <ul>
 * <li>{@code bmp_decode_*}: framer and decoder only;</li>
 * <li>{@code bmp_map_*}: the same plus {@link BmpEventMapper} to canonical events;</li>
 * <li>{@code bmp_encode_*}: the same plus {@link EventCodec#encode}, the JSON the collector sends to Kafka.</li>
 * </ul>
 * Two untimed warm-up passes of each, then RUNS alternating passes; medians reported. Run with
 * {@code bin/bench bmp} (RUNS=5 by default).
 */
public final class BmpBench {

    private static final long SECONDS = Instant.parse("2026-11-26T08:00:00Z").getEpochSecond();

    private BmpBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long t0 = System.nanoTime();
        byte[] stream = stream(new SyntheticTable(20261126L, 1_000_000, 0, 1, 70_000, 20_000));
        System.out.printf(Locale.ROOT, "built a stream of %d bytes in %.1f s (untimed)%n", stream.length,
                (System.nanoTime() - t0) / 1e9);
        EventCodec codec = new EventCodec(new com.fasterxml.jackson.databind.ObjectMapper());
        String[] names = {"decode", "map", "encode"};
        double[][] msgs = new double[3][runs];
        double[][] prefixes = new double[3][runs];
        for (int warm = 0; warm < 2; warm++) {
            for (int mode = 0; mode < 3; mode++) {
                pass(stream, mode, codec, "warm-up " + names[mode]);
            }
        }
        for (int r = 0; r < runs; r++) {
            for (int mode = 0; mode < 3; mode++) {
                double[] rate = pass(stream, mode, codec, names[mode] + " run " + (r + 1));
                msgs[mode][r] = rate[0];
                prefixes[mode][r] = rate[1];
            }
        }
        for (int mode = 0; mode < 3; mode++) {
            System.out.printf(Locale.ROOT, "RESULT bmp_%s_messages_per_s %.0f%n", names[mode], TableBench.median(msgs[mode]));
            System.out.printf(Locale.ROOT, "RESULT bmp_%s_prefixes_per_s %.0f%n", names[mode],
                    TableBench.median(prefixes[mode]));
        }
    }

    /** Initiation, Peer Up and one Route Monitoring message per UPDATE of the table. */
    static byte[] stream(SyntheticTable t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        BmpWriter.Peer peer = BmpWriter.Peer.global("10.0.0.1", SyntheticTable.peerAs(0), SECONDS).flags(0x40);
        out.writeBytes(BmpWriter.initiation("bench", SyntheticTable.ROUTER));
        out.writeBytes(BmpWriter.peerUp(peer, "10.0.0.2", BmpWriter.open(SyntheticTable.LOCAL_AS, "10.0.0.2"),
                BmpWriter.open(SyntheticTable.peerAs(0), "10.0.0.1")));
        for (int u = 0; u < t.updateCount(); u++) {
            BgpUpdateEvent e = t.event(u);
            long[] path = e.attributes().asPath().stream().mapToLong(a -> (Long) a).toArray();
            long[] communities = e.attributes().communities().stream().mapToLong(c -> {
                int colon = c.indexOf(':');
                return Long.parseLong(c.substring(0, colon)) << 16 | Long.parseLong(c.substring(colon + 1));
            }).toArray();
            List<Prefix> nlri = e.announce().stream().map(Nlri::prefix).toList();
            out.writeBytes(BmpWriter.routeMonitoring(peer, BmpWriter.ipv4Update(List.of(), nlri, path,
                    e.attributes().nextHop(), e.attributes().med(), communities, null)));
        }
        return out.toByteArray();
    }

    /** One timed pass; returns {messages/s, prefixes/s}. */
    private static double[] pass(byte[] stream, int mode, EventCodec codec, String what) throws BmpFormatException {
        BmpFramer framer = new BmpFramer(1 << 20);
        BmpDecoder decoder = new BmpDecoder((issue, message) -> {
            throw new IllegalStateException(issue + ": " + message);
        });
        BmpEventMapper mapper = new BmpEventMapper("10.0.0.1", null, Duration.ZERO, q -> { });
        long[] counts = new long[3];
        List<CanonicalEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        for (int off = 0; off < stream.length; off += 65536) {
            framer.feed(stream, off, Math.min(65536, stream.length - off), (buf, o, len, at) -> {
                BmpMessage m;
                try {
                    m = decoder.decode(buf, o, len, at);
                } catch (BmpFormatException e) {
                    throw new IllegalStateException(e);
                }
                counts[0]++;
                if (m instanceof BmpMessage.RouteMonitoring rm) {
                    for (var a : rm.update().announces()) {
                        counts[1] += a.nlri().size();
                    }
                }
                if (mode >= 1) {
                    events.clear();
                    mapper.map(m, now, events::add);
                    for (CanonicalEvent e : events) {
                        counts[2] += mode == 2 ? codec.encode(e, "bmp").length : 1;
                    }
                }
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (counts[1] != 1_000_000) {
            throw new IllegalStateException("decoded " + counts[1] + " prefixes, expected 1000000");
        }
        System.out.printf(Locale.ROOT, "%s: %d messages, %d prefixes in %.2f s = %.0f messages/s, %.0f prefixes/s%n",
                what, counts[0], counts[1], secs, counts[0] / secs, counts[1] / secs);
        return new double[] {counts[0] / secs, counts[1] / secs};
    }
}
