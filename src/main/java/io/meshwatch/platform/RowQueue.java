package io.meshwatch.platform;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Rows waiting for the database, written in batches: {@link #offer} from any thread queues one
 * (beyond {@code maxQueued} it is dropped, counted, and said in the log every thousandth time, so
 * that a database outage never blocks nor grows the heap without bound); {@link #flush} writes up
 * to a batch, one flush at a time, and puts a batch whose write failed back in the queue for the
 * next flush (behind what came meanwhile: rows carry their own time). Used by the writers of
 * append-only tables (session history, audit trail), each calling {@link #flush} from a timer.
 * Thread-safe.
 */
public final class RowQueue<T> {

    private static final Logger LOG = Logger.getLogger(RowQueue.class);

    private final String what;
    private final int maxQueued;
    private final int batch;
    private final Function<List<T>, Uni<Void>> write;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean flushing = new AtomicBoolean();

    /**
     * @param what      what the rows are, for the log ({@code session history rows})
     * @param maxQueued the most rows waiting (queued or being written)
     * @param batch     the most rows one write takes
     * @param write     writes a batch; a failure keeps it
     */
    public RowQueue(String what, int maxQueued, int batch, Function<List<T>, Uni<Void>> write) {
        this.what = what;
        this.maxQueued = maxQueued;
        this.batch = batch;
        this.write = write;
    }

    /** Queues a row; false when it was dropped because {@code maxQueued} are waiting. */
    public boolean offer(T row) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warnf("Queue of %s full (%d waiting for PostgreSQL): %d dropped so far", what, maxQueued,
                        dropped.get());
            }
            return false;
        }
        queue.add(row);
        return true;
    }

    /**
     * Writes up to a batch of what is queued, unless a write is under way; the returned item says
     * whether more rows are queued (for the caller to flush again at once). Never fails.
     */
    public Uni<Boolean> flush() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        List<T> rows = new ArrayList<>(batch);
        T r;
        while (rows.size() < batch && (r = queue.poll()) != null) {
            rows.add(r);
        }
        Uni<Void> w;
        try {
            w = write.apply(rows);
        } catch (RuntimeException e) {
            w = Uni.createFrom().failure(e);
        }
        return w.onItem().invoke(v -> {
            queued.addAndGet(-rows.size());
            written.addAndGet(rows.size());
        }).onFailure().invoke(err -> {
            LOG.debugf("Could not write %d %s (kept for the next try): %s", rows.size(), what, err.toString());
            queue.addAll(rows);
        }).onFailure().recoverWithNull()
                .eventually(() -> flushing.set(false))
                .map(v -> !queue.isEmpty());
    }

    /** Rows waiting (queued or being written). */
    public int pending() {
        return queued.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }
}
