package io.meshwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.sim.SyntheticTable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end route-table ingest: records already in Kafka to the packaged service's table holding
 * them. Printed as {@code RESULT name value} lines for {@code bin/bench}.
 *
 * <p>For each scenario a fresh {@link ScratchKafka} (temp dir, topics {@code meshwatch.bgp.v1} and
 * {@code meshwatch.telemetry.v1}, 4 partitions each) gets, untimed, one router's peer-state
 * {@code established} events and then the synthetic full table ({@link SyntheticTable#fullTable()})
 * of one or both peers, keyed by router id. Then, RUNS times, the packaged service is started as its
 * own JVM ({@link ServiceProcess}) with a new consumer group, so it reads the topic from the beginning.
 * The harness polls {@code /q/metrics} every 50 ms; the clock runs from the last poll that saw
 * {@code meshwatch_rib_prefixes_applied_total{op="announce"}} at 0 (after readiness) to the first
 * poll that saw it equal the prefixes produced, so each end is rounded outward by up to one poll.
 * {@code GET /api/v1/routers} must then report the expected path count, or the run fails.
 *
 * <ul>
 * <li>{@code rib_updates_per_s}: both peers (2.5M paths), prefixes / seconds, median of RUNS.</li>
 * <li>{@code full_table_load_s}: one peer (1.25M paths), seconds, median of RUNS.</li>
 * </ul>
 *
 * <p>Arguments: RUNS (default 3), scenarios ({@code both}, {@code table}, {@code rate}). The service
 * inherits this process's environment (so {@code MP_MESSAGING_INCOMING_BGP_IN_*} variables reach
 * it); {@code E2E_SERVICE_JVM_ARGS} adds JVM options to it (e.g. a JFR recording); its output goes
 * to {@code target/bench/e2e-service-*.log}. Broker and service share the machine's cores.
 */
public final class EndToEndBench {

    private static final String TOPIC = ScratchKafka.TOPIC;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String which = args.length > 1 ? args[1] : "both";
        ServiceProcess.requireJar();
        SyntheticTable t = SyntheticTable.fullTable();
        if (which.equals("both") || which.equals("table")) {
            double[] secs = scenario(t, 1, runs, "table");
            System.out.printf(Locale.ROOT, "RESULT full_table_load_s %.3f%n", TableBench.median(secs));
            System.out.println("RESULT full_table_load_s_runs " + fmt(secs));
        }
        if (which.equals("both") || which.equals("rate")) {
            double[] secs = scenario(t, 2, runs, "rate");
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                rates[r] = t.pathCount() / secs[r];
            }
            System.out.printf(Locale.ROOT, "RESULT rib_updates_per_s %.0f%n", TableBench.median(rates));
            System.out.println("RESULT rib_updates_per_s_runs " + fmt(rates));
        }
    }

    /** Produces the table of {@code peers} peers into a fresh broker, then times RUNS service launches. */
    private static double[] scenario(SyntheticTable t, int peers, int runs, String name) throws Exception {
        try (ScratchKafka kafka = ScratchKafka.start()) {
            long prefixes = produce(kafka.broker(), t, peers);
            long paths = prefixes; // every prefix once per peer: one path each
            double[] secs = new double[runs];
            for (int r = 0; r < runs; r++) {
                secs[r] = runService(kafka.bootstrapServers(), prefixes, paths, name + "-" + r);
            }
            return secs;
        }
    }

    private static long produce(EmbeddedKafka broker, SyntheticTable t, int peers) throws Exception {
        EventCodec codec = new EventCodec(MAPPER);
        long prefixes = 0;
        long records = 0;
        long t0 = System.nanoTime();
        Instant time = Instant.parse("2026-11-26T07:59:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "linger.ms", 20, "batch.size", 1 << 20,
                "compression.type", "none", "acks", "1"), new StringSerializer(), new ByteArraySerializer())) {
            for (int p = 0; p < peers; p++) {
                var peer = SyntheticTable.peer(p);
                PeerStateEvent up = new PeerStateEvent(SyntheticTable.ROUTER, time, SyntheticTable.VRF,
                        peer.address().toString(), Integer.toUnsignedLong(peer.peerAs()),
                        (long) SyntheticTable.LOCAL_AS, BgpState.ESTABLISHED, null);
                producer.send(new ProducerRecord<>(TOPIC, SyntheticTable.ROUTER, codec.encode(up, "bmp")));
                records++;
            }
            for (int u = 0; u < t.updateCount(); u++) {
                if (u % t.peerCount() >= peers) {
                    continue;
                }
                BgpUpdateEvent e = t.event(u);
                prefixes += e.announce().size();
                // keyed by router id, as the service requires: one router = one partition
                producer.send(new ProducerRecord<>(TOPIC, e.router(), codec.encode(e, "bmp")));
                records++;
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced %d records (%d peers), %d prefixes in %.1f s (untimed)%n", records,
                peers, prefixes, (System.nanoTime() - t0) / 1e9);
        return prefixes;
    }

    /** One service launch; returns the seconds from the first applied prefix to the last. */
    private static double runService(String bootstrap, long prefixes, long paths, String name) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(bootstrap, "e2e-service", name)) {
            ServiceProcess.Progress p = service.awaitAnnounced(prefixes, 300, () -> { });
            long held = service.requirePaths(SyntheticTable.ROUTER, paths);
            double secs = (p.done() - p.lastZero()) / 1e9;
            System.out.printf(Locale.ROOT,
                    "run %s: start->ready %.1f s, ready->first applied %.2f s, load %.2f s = %.0f prefixes/s "
                            + "(ready->all %.2f s); %d paths held%n",
                    name, (service.ready() - service.launched()) / 1e9, (p.firstSeen() - service.ready()) / 1e9, secs,
                    prefixes / secs, (p.done() - service.ready()) / 1e9, held);
            return secs;
        }
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, x >= 1000 ? "%.0f" : "%.3f", x));
        }
        return b.toString();
    }
}
