package io.meshwatch.exabgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code bin/exabgp-relay} replays the recorded API output into the real broker, skipping a bad line. */
class ExaBgpRelayTest {

    @Test
    void relaysEveryEventKeyedByRouterAndSkipsBadLines() throws Exception {
        String topic = "exabgp-relay-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 1);
        String router = Events.uniqueRouter("exa");
        int expected = ExaBgpMapperTest.map(router).size();
        List<String> lines = new ArrayList<>(ExaBgpMapperTest.lines());
        lines.add(10, "this is not json");
        Path file = Files.createTempFile("exabgp", ".jsonl");
        try {
            Files.write(file, lines);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ExaBgpRelay.run(new String[] {"--bootstrap", KafkaBroker.bootstrap(), "--bgp-topic", topic,
                "--router", router, file.toString()}, new PrintStream(err, true));
            assertEquals(0, code, err.toString());
            assertTrue(err.toString().contains("line 11 refused"), err.toString());
            assertTrue(err.toString().contains(expected + " events, 1 lines refused, 0 events failed"), err.toString());
        } finally {
            Files.delete(file);
        }
        assertEquals(expected, Events.await(topic, r -> router.equals(r.key()), expected + 1, Duration.ofSeconds(15))
                .size());
        assertEquals(2, ExaBgpRelay.run(new String[] {"--nope"}, new PrintStream(new ByteArrayOutputStream())));
    }
}
