package io.meshwatch.gnmi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code bin/gnmi-relay} replays Telegraf's real output into the real broker, refusing what it cannot map. */
class GnmiRelayTest {

    @Test
    void relaysInterfaceEventsToTheTelemetryTopic() throws Exception {
        String topic = "gnmi-relay-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 1);
        String router = Events.uniqueRouter("junos");
        Path dir = Files.createTempDirectory("gnmi");
        Path good = dir.resolve("states.lp");
        Path bad = dir.resolve("ciena.lp");
        try (InputStream a = getClass().getResourceAsStream("/gnmi/telegraf/tagging_name_based/expected.out");
             InputStream b = getClass().getResourceAsStream("/gnmi/telegraf/issue_16476/expected.out")) {
            Files.write(good, a.readAllBytes());
            Files.write(bad, b.readAllBytes());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GnmiRelay.run(new String[] {"--bootstrap", KafkaBroker.bootstrap(), "--telemetry-topic", topic,
            "--router", "127.0.0.1=" + router, good.toString(), bad.toString()}, new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("5 events, 1 lines refused"), err.toString());
        assertEquals(5, Events.await(topic, r -> router.equals(r.key()), 6, Duration.ofSeconds(15)).size());
        assertEquals(2, GnmiRelay.run(new String[] {"--format", "xml"}, new PrintStream(new ByteArrayOutputStream())));
        Files.delete(good);
        Files.delete(bad);
        Files.delete(dir);
    }
}
