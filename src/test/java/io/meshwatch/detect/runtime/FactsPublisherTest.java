package io.meshwatch.detect.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.facts.Fact;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The group commit of facts, with the send and the back-off timer in the test's hands: each send's
 * stage is completed (or failed) by the test, each back-off runs when the test says.
 */
class FactsPublisherTest {

    private final List<List<String>> sends = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private final List<Duration> backoffs = new ArrayList<>();
    private final List<Runnable> retries = new ArrayList<>();
    private int failures;
    private final FactsPublisher publisher = new FactsPublisher(this::send, (d, r) -> {
        backoffs.add(d);
        retries.add(r);
    }, 5, Duration.ofSeconds(1), Duration.ofSeconds(4), nanos -> { }, (n, e) -> failures++);

    private CompletionStage<Void> send(List<Fact> group) {
        sends.add(group.stream().map(f -> ((Fact.TelemetryFact) f).event().router()).toList());
        CompletableFuture<Void> f = new CompletableFuture<>();
        inFlight.add(f);
        return f;
    }

    private static List<Fact> facts(String... names) {
        List<Fact> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Fact.TelemetryFact(new InterfaceStateEvent(n, Instant.EPOCH, "eth1", "up", "up")));
        }
        return out;
    }

    @Test
    void oneSendInFlightAndWhatWaitsGoesTogetherInOrder() {
        CompletionStage<Void> a = publisher.hand(facts("a1", "a2"));
        CompletionStage<Void> b = publisher.hand(facts("b1"));
        CompletionStage<Void> c = publisher.hand(facts("c1", "c2"));

        assertEquals(List.of(List.of("a1", "a2")), sends, "b and c wait for a's send");
        assertFalse(a.toCompletableFuture().isDone());
        inFlight.get(0).complete(null);
        assertTrue(a.toCompletableFuture().isDone());
        assertEquals(List.of(List.of("a1", "a2"), List.of("b1", "c1", "c2")), sends, "b and c in one send, in order");
        assertFalse(b.toCompletableFuture().isDone(), "not on the topic yet");
        assertFalse(publisher.drained().toCompletableFuture().isDone());
        inFlight.get(1).complete(null);
        assertTrue(b.toCompletableFuture().isDone() && c.toCompletableFuture().isDone());
        assertTrue(publisher.drained().toCompletableFuture().isDone());
        assertEquals(0, publisher.queued());
    }

    @Test
    void aFailedSendIsTriedAgainBeforeAnythingLaterWithABackOffThatDoublesToItsBound() {
        CompletionStage<Void> a = publisher.hand(facts("a1"));
        CompletionStage<Void> b = publisher.hand(facts("b1"));
        for (int i = 0; i < 3; i++) {
            inFlight.get(i).completeExceptionally(new IllegalStateException("broker away"));
            assertEquals(i + 1, retries.size());
            retries.get(i).run();
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), backoffs);
        assertEquals(3, failures);
        assertEquals(List.of(List.of("a1"), List.of("a1"), List.of("a1"), List.of("a1")), sends,
                "nothing later went first");
        assertFalse(a.toCompletableFuture().isDone());
        inFlight.get(3).complete(null);
        assertTrue(a.toCompletableFuture().isDone());
        assertEquals(List.of("b1"), sends.get(4));
        assertFalse(b.toCompletableFuture().isDone());
        inFlight.get(4).complete(null);
        assertTrue(b.toCompletableFuture().isDone());
        inFlight.forEach(f -> assertTrue(f.isDone()));
    }

    @Test
    void fullWhenMoreThanTheBoundWaitsAndNothingHandedOverCompletesWithWhatCameBefore() {
        assertTrue(publisher.hand(List.of()).toCompletableFuture().isDone(), "nothing handed over: nothing to wait for");
        CompletionStage<Void> a = publisher.hand(facts("a1", "a2", "a3"));
        assertFalse(publisher.full());
        CompletionStage<Void> empty = publisher.hand(List.of());
        assertFalse(empty.toCompletableFuture().isDone(), "it may not overtake a's facts");
        publisher.hand(facts("b1", "b2", "b3"));
        assertTrue(publisher.full(), "6 facts wait, the bound is 5");
        inFlight.get(0).complete(null);
        assertTrue(a.toCompletableFuture().isDone() && empty.toCompletableFuture().isDone());
        assertFalse(publisher.full());
    }

    @Test
    void aSendThatThrowsCountsAsFailedAndIsTriedAgain() {
        List<Integer> calls = new ArrayList<>();
        List<Runnable> later = new ArrayList<>();
        FactsPublisher p = new FactsPublisher(g -> {
            calls.add(g.size());
            if (calls.size() == 1) {
                throw new IllegalStateException("no metadata");
            }
            return FactsPublisher.DONE;
        }, (d, r) -> later.add(r), 10, Duration.ofMillis(10), Duration.ofMillis(10), n -> { }, (n, e) -> { });
        CompletionStage<Void> a = p.hand(facts("a1"));
        assertFalse(a.toCompletableFuture().isDone());
        later.get(0).run();
        assertTrue(a.toCompletableFuture().isDone());
        assertEquals(List.of(1, 1), calls);
    }
}
