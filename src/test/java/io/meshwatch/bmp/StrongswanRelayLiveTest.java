package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.mrt.MrtReplay;
import io.meshwatch.strongswan.StrongswanRelay;
import io.meshwatch.strongswan.ViciMapper;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.ExternalProgram;
import io.meshwatch.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The strongSwan relay against real strongSwan: the live failover lab's two {@code charon}s
 * ({@link FailoverLab}: namespaces, kernel-libipsec, dead-peer detection every second) with the relay
 * following r1's vici socket and producing to the in-process broker. The circuit under the primary
 * tunnel is cut (the far side's bridge port out of the bridge, so r1's interface stays up): charon's
 * dead-peer detection declares the IKE_SA dead and the relay must put {@code down} for the primary
 * tunnel on Kafka; the repair brings the tunnel back ({@code dpd_action = restart}) and the relay must
 * put {@code up} after it. The backup tunnel is reported up and never down. Needs root (fails, never
 * skips, without it), like the other live tests.
 */
class StrongswanRelayLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(30);

    @Test
    void theRelayReportsARealTunnelGoingDownAndUp() throws Exception {
        ExternalProgram.require("ip", "iproute2");
        ExternalProgram.require(FailoverLab.BGPD, "frr");
        ExternalProgram.require(FailoverLab.CHARON, "strongswan-charon");
        ExternalProgram.require("swanctl", "strongswan-swanctl");
        if (!Files.isRegularFile(Path.of(FailoverLab.LIBIPSEC))) {
            fail(FailoverLab.LIBIPSEC + " is not installed (Debian package libcharon-extra-plugins)");
        }
        String why = LiveLab.unavailable();
        if (why != null) {
            fail("the strongSwan relay's live test cannot run on this machine: " + why + "; run it as root, or leave "
                    + "it out explicitly with -Dtest='!StrongswanRelayLiveTest'");
        }
        String id = HexFormat.of().formatHex(LiveLab.randomBytes(3));
        String router = "ss" + id + "-r1";
        String primary = "vpn-" + id + "-primary";
        String backup = "vpn-" + id + "-backup";
        String topic = "strongswan-relay-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 1);
        Path dir = Path.of("target", "strongswan-relay", id).toAbsolutePath();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // FRR's BMP goes nowhere useful here: a socket that accepts and is never read
        try (ServerSocket sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FailoverLab lab = FailoverLab.start(dir, id, router, "ss" + id + "-r2", sink.getLocalPort());
             Producer<String, byte[]> producer = new KafkaProducer<>(MrtReplay.producerConfig(KafkaBroker.bootstrap()),
                     new StringSerializer(), new ByteArraySerializer())) {
            awaitTrue("r1's primary tunnel established", () -> lab.swanctlSas("r1").contains("INSTALLED")
                    && lab.swanctlSas("r1").contains("primary"), lab);
            StrongswanRelay relay = new StrongswanRelay(dir.resolve("r1/charon.vici"),
                    new ViciMapper(router, Map.of("primary", primary, "backup", backup)), producer, topic,
                    Clock.systemUTC(), new PrintStream(log, true, StandardCharsets.UTF_8));
            Thread t = new Thread(relay, "strongswan-relay-test");
            t.start();
            try {
                TunnelStateEvent first = next(topic, 0, e -> e.tunnel().equals(primary), "the primary's state at "
                        + "connection", lab, log).event;
                assertEquals("up", first.state(), "the primary is reported up when the relay connects");
                assertEquals("ike", first.signal());
                assertEquals(router, first.router());
                next(topic, 0, e -> e.tunnel().equals(backup) && e.state().equals("up"), "the backup up", lab, log);

                Instant cut = lab.cut();
                Seen down = next(topic, 0, e -> e.tunnel().equals(primary) && e.state().equals("down"),
                        "the primary down after the cut (dead-peer detection)", lab, log);
                System.out.println("strongswan relay: primary down " + Duration.between(cut, down.event.time())
                        .toMillis() + " ms after the cut");
                assertTrue(down.event.time().isAfter(cut), "the down comes after the cut");

                Instant repair = lab.repair();
                Seen up = next(topic, down.offset + 1, e -> e.tunnel().equals(primary) && e.state().equals("up"),
                        "the primary up again after the repair", lab, log);
                System.out.println("strongswan relay: primary up " + Duration.between(repair, up.event.time())
                        .toMillis() + " ms after the repair, bytes in/out " + up.event.bytesIn() + "/"
                        + up.event.bytesOut());
                List<ConsumerRecord<String, byte[]>> all = Events.await(topic, r -> true, Integer.MAX_VALUE,
                        Duration.ofSeconds(2));
                for (ConsumerRecord<String, byte[]> r : all) {
                    assertEquals(router, r.key(), "keyed by the router");
                    TunnelStateEvent e = decode(r);
                    assertTrue(!(e.tunnel().equals(backup) && e.state().equals("down")),
                            "the backup never went down: " + e);
                }
            } finally {
                relay.stop();
                t.join(10_000);
            }
        }
    }

    private record Seen(long offset, TunnelStateEvent event) {
    }

    private static Seen next(String topic, long from, Predicate<TunnelStateEvent> what, String description,
                             FailoverLab lab, ByteArrayOutputStream log) {
        List<ConsumerRecord<String, byte[]>> got = Events.await(topic, r -> r.offset() >= from && what.test(decode(r)),
                1, STEP);
        if (got.isEmpty()) {
            fail("not within " + STEP.toSeconds() + " s: " + description + "\nrelay: " + log.toString(StandardCharsets
                    .UTF_8) + "\nr1: " + lab.swanctlSas("r1") + "\n" + lab.deadDaemons());
        }
        return new Seen(got.get(0).offset(), decode(got.get(0)));
    }

    private static TunnelStateEvent decode(ConsumerRecord<String, byte[]> r) {
        try {
            return (TunnelStateEvent) new EventCodec(JSON).decode(r.value(), EventType.Family.TELEMETRY);
        } catch (Exception e) {
            throw new IllegalStateException("not a tunnel state: " + new String(r.value(), StandardCharsets.UTF_8), e);
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition, FailoverLab lab)
            throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            String dead = lab.deadDaemons();
            if (!dead.isEmpty()) {
                fail("a daemon of the lab stopped while waiting for: " + what + "\n" + dead);
            }
            Thread.sleep(200);
        }
        fail("not within " + STEP.toSeconds() + " s: " + what + "\n" + lab.swanctlSas("r1"));
    }
}
