package io.meshwatch.detect.runtime;

import io.meshwatch.facts.Fact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Puts facts on the facts topic in the order they are handed over, as a group commit: at most one
 * send is in flight; facts handed over meanwhile wait and go together in the next send. A send that
 * fails is tried again, after a back-off that doubles up to a bound, before anything handed over
 * later is sent, so the order on the topic is the order of hand-over and no fact is dropped.
 *
 * <p>Each hand-over gets a stage that completes when its facts, and every earlier hand-over's, are
 * acknowledged: the input batch that produced them may be acknowledged then. {@link #full()} says
 * when more than a bound of facts wait, so the caller can hold its input back.
 *
 * <p>Plain Java: the send, the timer for the back-off and the metrics are given. Threading: any
 * thread may hand over; sends and their completions may come back on any thread; the queue is
 * guarded by this object's monitor and no callback runs under it.
 */
public final class FactsPublisher {

    static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Function<List<Fact>, CompletionStage<Void>> send;
    private final BiConsumer<Duration, Runnable> after;
    private final int maxQueued;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final LongConsumer sent;
    private final BiConsumer<Integer, Throwable> failed;

    private List<Fact> waiting = new ArrayList<>();
    private List<CompletableFuture<Void>> waitingDone = new ArrayList<>();
    private boolean sending;
    private int queued;
    private CompletionStage<Void> latest = DONE;

    /**
     * @param send      sends one group in order; its stage completes when all are acknowledged
     * @param after     runs a task after a delay (the retry's back-off)
     * @param maxQueued facts that may wait before {@link #full()}
     * @param sent      told the nanoseconds each successful send took
     * @param failed    told the size and error of each failed send (it is tried again)
     */
    public FactsPublisher(Function<List<Fact>, CompletionStage<Void>> send, BiConsumer<Duration, Runnable> after,
                          int maxQueued, Duration firstBackoff, Duration maxBackoff, LongConsumer sent,
                          BiConsumer<Integer, Throwable> failed) {
        this.send = Objects.requireNonNull(send);
        this.after = Objects.requireNonNull(after);
        this.maxQueued = maxQueued;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.sent = sent;
        this.failed = failed;
    }

    /** Hands facts over; the stage completes when they and every earlier hand-over's are on the topic. */
    public CompletionStage<Void> hand(List<Fact> facts) {
        if (facts.isEmpty()) {
            return drained();
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        List<Fact> group = null;
        List<CompletableFuture<Void>> done = null;
        synchronized (this) {
            waiting.addAll(facts);
            waitingDone.add(durable);
            queued += facts.size();
            latest = durable;
            if (!sending) {
                sending = true;
                group = waiting;
                done = waitingDone;
                waiting = new ArrayList<>();
                waitingDone = new ArrayList<>();
            }
        }
        if (group != null) {
            attempt(group, done, firstBackoff);
        }
        return durable;
    }

    /** Whether more than the bound of facts wait for the topic. */
    public synchronized boolean full() {
        return queued > maxQueued;
    }

    /** Facts handed over and not yet acknowledged. */
    public synchronized int queued() {
        return queued;
    }

    /** Completes when every fact handed over so far is on the topic. */
    public synchronized CompletionStage<Void> drained() {
        return latest;
    }

    private void attempt(List<Fact> group, List<CompletableFuture<Void>> done, Duration backoff) {
        long started = System.nanoTime();
        CompletionStage<Void> stage;
        try {
            stage = send.apply(group);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ok, err) -> {
            if (err != null) {
                failed.accept(group.size(), err);
                Duration next = backoff.multipliedBy(2).compareTo(maxBackoff) <= 0 ? backoff.multipliedBy(2) : maxBackoff;
                after.accept(backoff, () -> attempt(group, done, next));
                return;
            }
            sent.accept(System.nanoTime() - started);
            List<Fact> nextGroup = null;
            List<CompletableFuture<Void>> nextDone = null;
            synchronized (this) {
                queued -= group.size();
                if (waiting.isEmpty()) {
                    sending = false;
                } else {
                    nextGroup = waiting;
                    nextDone = waitingDone;
                    waiting = new ArrayList<>();
                    waitingDone = new ArrayList<>();
                }
            }
            done.forEach(d -> d.complete(null));
            if (nextGroup != null) {
                attempt(nextGroup, nextDone, firstBackoff);
            }
        });
    }
}
