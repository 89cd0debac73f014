package io.meshwatch.rib;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.RibService.RouterImage;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Periodic snapshots of the route tables per partition of the BGP topic, and their restore.
 *
 * <p>The writer (the input channel's context) tells this class, after each batch is applied, which
 * routers' events came from which partition and the offset after the batch's last record of each
 * partition. Between batches, at most every {@code meshwatch.rib.snapshot.interval}, it captures the
 * routers of each changed, owned partition together with that offset; the images are encoded on a
 * worker thread (each table under its read lock) and written to {@code rib_snapshot}. Tables may
 * run ahead of the recorded offset while they are encoded, never behind it: replaying from the
 * offset is idempotent.
 *
 * <p>{@link SnapshotRebalanceListener} stages a restore when a partition is assigned; the writer
 * applies it before its next batch (or at once when no batch ran yet): the partition's routers
 * become exactly the snapshot's, and the consumer was already sought to the snapshot's offset.
 *
 * <p>Threading: the tracking state is guarded by this object's monitor (the writer, the timer on
 * the writer's context and the polling thread at start-up take it); encoding and the database
 * write run elsewhere and touch only the captured images.
 */
@ApplicationScoped
public class RibSnapshots {

    private static final Logger LOG = Logger.getLogger(RibSnapshots.class);

    /** A restore waiting for the writer. */
    record Restore(int partition, long nextOffset, List<RouterImage> images, long generation) {
    }

    /** The events of a batch that are to be applied, and the records whose offsets they advance. */
    public record Fresh(List<CanonicalEvent> events, List<KafkaRecord<?, ?>> sources, List<KafkaRecord<?, ?>> records) {
    }

    private record Job(int partition, long nextOffset, List<RouterImage> images) {
    }

    private final RibService rib;
    private final SnapshotStore store;
    private final Clock clock;
    private volatile BooleanSupplier safe = () -> true;
    private final Vertx vertx;
    private final String topic;
    private final boolean enabled;
    private final long intervalMillis;

    private final Map<String, Integer> partitionOf = new HashMap<>();
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private final Set<Integer> dirty = new HashSet<>();
    /** Per restored partition: its snapshot offset, and the generation its restore was staged in. */
    private final Map<Integer, Long> floor = new HashMap<>();
    private final Map<Integer, Long> restoredAt = new HashMap<>();
    private long lastSnapshotAt;
    private Context writer;
    private long timer = -1;

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> replayUntil = new ConcurrentHashMap<>();
    private final Map<Integer, Restore> staged = new ConcurrentHashMap<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong generation = new AtomicLong();

    public RibSnapshots(RibService rib, SnapshotStore store, Clock clock, Vertx vertx, MeshwatchConfig config) {
        this.rib = rib;
        this.store = store;
        this.clock = clock;
        this.vertx = vertx;
        this.topic = config.topics().bgp();
        this.enabled = config.rib().snapshot().enabled();
        this.intervalMillis = config.rib().snapshot().interval().toMillis();
        this.lastSnapshotAt = clock.millis();
    }

    public boolean enabled() {
        return enabled;
    }

    public String topic() {
        return topic;
    }

    // ------------------------------------------------------------------ writer side

    /**
     * Writer, when a batch is dispatched (before its records are decoded): binds the timer to the
     * writer's context, applies staged restores, and returns the batch's generation for
     * {@link #fresh}.
     */
    public synchronized long dispatched() {
        if (writer == null && enabled) {
            writer = Vertx.currentContext();
            if (writer != null) {
                Context ctx = writer;
                long period = Math.max(100, Math.min(intervalMillis, 5_000));
                timer = vertx.setPeriodic(period, id -> ctx.runOnContext(v -> snapshotIfDue()));
            }
        }
        applyStaged();
        return generation.get();
    }

    /**
     * Writer, just before applying a batch: drops what a restore made stale. A restore of partition
     * p replaced p's routers by the snapshot at offset S and the consumer was sought to S, so p's
     * records below S, and p's records of a batch dispatched before the restore was staged (they are
     * fetched again after the seek), must not be applied on top of the snapshot.
     */
    public synchronized Fresh fresh(List<CanonicalEvent> events, List<? extends KafkaRecord<?, ?>> sources,
            List<? extends KafkaRecord<?, ?>> records, long batchGeneration) {
        applyStaged();
        if (floor.isEmpty()) {
            return new Fresh(events, List.copyOf(sources), List.copyOf(records));
        }
        List<CanonicalEvent> keptEvents = new ArrayList<>(events.size());
        List<KafkaRecord<?, ?>> keptSources = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            if (!stale(sources.get(i), batchGeneration)) {
                keptEvents.add(events.get(i));
                keptSources.add(sources.get(i));
            }
        }
        List<KafkaRecord<?, ?>> keptRecords = new ArrayList<>(records.size());
        for (KafkaRecord<?, ?> r : records) {
            if (!stale(r, batchGeneration)) {
                keptRecords.add(r);
            }
        }
        int dropped = records.size() - keptRecords.size();
        if (dropped > 0) {
            LOG.debugf("Skipped %d records fetched before a route-table restore; they are replayed after it", dropped);
        }
        return new Fresh(keptEvents, keptSources, keptRecords);
    }

    private boolean stale(KafkaRecord<?, ?> r, long batchGeneration) {
        if (!(r instanceof IncomingKafkaRecord<?, ?> in) || !topic.equals(in.getTopic())) {
            return false;
        }
        Long min = floor.get(in.getPartition());
        return min != null && (in.getOffset() < min || batchGeneration < restoredAt.get(in.getPartition()));
    }

    /** Writer, after a batch's fresh events are applied: records their partitions and offsets. */
    public synchronized void applied(Fresh batch) {
        List<CanonicalEvent> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            KafkaRecord<?, ?> src = batch.sources().get(i);
            if (topic.equals(src.getTopic())) {
                partitionOf.put(events.get(i).router(), src.getPartition());
            }
        }
        for (KafkaRecord<?, ?> r : batch.records()) {
            if (r instanceof IncomingKafkaRecord<?, ?> in && topic.equals(in.getTopic())) {
                nextOffset.merge(in.getPartition(), in.getOffset() + 1, Math::max);
                dirty.add(in.getPartition());
            }
        }
    }

    /** Writer (or its timer): takes a snapshot of the changed partitions when the interval has passed. */
    /** Whether a snapshot is due (a batch then waits until what it covers is safe, see {@link #safeWhen}). */
    public synchronized boolean due() {
        return enabled && clock.millis() - lastSnapshotAt >= intervalMillis && !dirty.isEmpty() && !inFlight.get();
    }

    /**
     * What must hold before a snapshot is taken, besides being due: everything the applied records
     * produced downstream is safe (facts mode: their facts are on the facts topic). Checked by every
     * snapshot, from a batch or from the timer; a snapshot not taken for it is taken at a later call.
     * Set once, before the first batch.
     */
    public void safeWhen(BooleanSupplier safe) {
        this.safe = safe;
    }

    public synchronized void snapshotIfDue() {
        applyStaged();
        long now = clock.millis();
        if (!enabled || now - lastSnapshotAt < intervalMillis || dirty.isEmpty() || !safe.getAsBoolean()
                || !inFlight.compareAndSet(false, true)) {
            return;
        }
        List<Job> jobs = new ArrayList<>();
        for (int p : dirty) {
            if (owned.contains(p) && nextOffset.containsKey(p)) {
                List<String> names = new ArrayList<>();
                partitionOf.forEach((r, part) -> {
                    if (part == p) {
                        names.add(r);
                    }
                });
                jobs.add(new Job(p, nextOffset.get(p), rib.capture(names)));
            }
        }
        dirty.clear(); // partitions we no longer own are not ours to snapshot
        lastSnapshotAt = now;
        if (jobs.isEmpty()) {
            inFlight.set(false);
            return;
        }
        Instant takenAt = Instant.ofEpochMilli(now);
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Job job : jobs) {
            all = all.chain(() -> write(job, takenAt));
        }
        all.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(ok -> inFlight.set(false), err -> {
                    inFlight.set(false);
                    String msg = String.valueOf(err.getMessage());
                    LOG.warnf("Route-table snapshot failed (retried after the next interval): %s: %s",
                            err.getClass().getSimpleName(), msg.length() > 300 ? msg.substring(0, 300) + "..." : msg);
                    synchronized (this) {
                        jobs.forEach(j -> dirty.add(j.partition()));
                    }
                });
    }

    private Uni<Void> write(Job job, Instant takenAt) {
        long started = System.nanoTime();
        return Uni.createFrom().item(() -> {
                    try {
                        return PartitionSnapshot.encode(job.images());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(enc -> {
                    long encodedMs = (System.nanoTime() - started) / 1_000_000;
                    return store.save(topic, job.partition(), job.nextOffset(), takenAt, enc).invoke(written -> {
                        if (written) {
                            LOG.infof("Snapshot of %s-%d at offset %d: %d routers, %d paths, %d bytes (%d raw), "
                                            + "encoded in %d ms (tables read-locked %d ms), stored in %d ms", topic,
                                    job.partition(), job.nextOffset(), enc.routers(), enc.paths(), enc.data().length,
                                    enc.rawBytes(), encodedMs, enc.lockMillis(), (System.nanoTime() - started) / 1_000_000 - encodedMs);
                        } else {
                            LOG.infof("Snapshot of %s-%d at offset %d not stored: a newer one exists", topic,
                                    job.partition(), job.nextOffset());
                        }
                    });
                })
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ rebalance side (polling thread)

    /** The partition is ours now (consumer's polling thread). */
    void assigned(int partition) {
        owned.add(partition);
    }

    /**
     * Consumer's polling thread, when a restore seeks the partition back: its records below
     * {@code committed} were applied by the partition's previous owner, which published what they
     * changed; replayed here they rebuild the tables but are no news ({@link #replay}).
     */
    void replayUntil(int partition, long committed) {
        replayUntil.put(partition, committed);
    }

    /**
     * Writer: the part of a batch's fresh events that is a replay (records below the offset the
     * partition's previous owner had committed when it was assigned here), and the rest, each in
     * order. Events of other partitions or topics are never a replay.
     */
    public Replay replay(Fresh fresh) {
        if (replayUntil.isEmpty()) {
            return new Replay(EMPTY, fresh);
        }
        List<CanonicalEvent> oldEvents = new ArrayList<>();
        List<KafkaRecord<?, ?>> oldSources = new ArrayList<>();
        List<CanonicalEvent> newEvents = new ArrayList<>(fresh.events().size());
        List<KafkaRecord<?, ?>> newSources = new ArrayList<>(fresh.events().size());
        for (int i = 0; i < fresh.events().size(); i++) {
            KafkaRecord<?, ?> src = fresh.sources().get(i);
            boolean old = false;
            if (src instanceof IncomingKafkaRecord<?, ?> in && topic.equals(in.getTopic())) {
                Long until = replayUntil.get(in.getPartition());
                old = until != null && in.getOffset() < until;
                if (until != null && !old) {
                    replayUntil.remove(in.getPartition(), until); // caught up
                }
            }
            (old ? oldEvents : newEvents).add(fresh.events().get(i));
            (old ? oldSources : newSources).add(src);
        }
        if (oldEvents.isEmpty()) {
            return new Replay(EMPTY, fresh);
        }
        return new Replay(new Fresh(oldEvents, oldSources, List.of()), new Fresh(newEvents, newSources, List.of()));
    }

    /** A batch's fresh events split into those replayed after a restore and the new ones. */
    public record Replay(Fresh replayed, Fresh live) {
    }

    private static final Fresh EMPTY = new Fresh(List.of(), List.of(), List.of());

    /** The partition was revoked or lost: stop snapshotting it (consumer's polling thread). */
    void revoked(int partition) {
        owned.remove(partition);
        staged.remove(partition);
        replayUntil.remove(partition);
        synchronized (this) {
            floor.remove(partition);
            restoredAt.remove(partition);
        }
    }

    /** Stages a restore; applied by the writer, or at once when no batch has run yet. */
    void stage(int partition, long offset, List<RouterImage> images) {
        Restore restore = new Restore(partition, offset, images, generation.incrementAndGet());
        staged.put(partition, restore);
        Context ctx;
        synchronized (this) {
            ctx = writer;
            if (ctx == null) {
                applyStaged();
                return;
            }
        }
        ctx.runOnContext(v -> {
            synchronized (this) {
                applyStaged();
            }
        });
    }

    private void applyStaged() {
        for (Integer p : List.copyOf(staged.keySet())) {
            Restore r = staged.remove(p);
            if (r == null) {
                continue;
            }
            List<String> drop = new ArrayList<>();
            partitionOf.forEach((router, part) -> {
                if (part == r.partition()) {
                    drop.add(router);
                }
            });
            drop.forEach(partitionOf::remove);
            rib.replace(drop, r.images());
            r.images().forEach(i -> partitionOf.put(i.router(), r.partition()));
            nextOffset.put(r.partition(), r.nextOffset());
            floor.put(r.partition(), r.nextOffset());
            restoredAt.put(r.partition(), r.generation());
            dirty.remove(r.partition());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
