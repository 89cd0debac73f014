package io.meshwatch.cluster;

import io.meshwatch.cluster.MemberStore.Member;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;

/**
 * What this instance knows of its deployment at one moment, and where a call is answered: here, by
 * another member, or by nobody now. Plain Java.
 *
 * @param self           this instance's id
 * @param topic          the input topic whose partitions name a router's owner (the BGP topic; the
 *                       telemetry topic is co-partitioned with it)
 * @param partitionCount the topic's partition count, or -1 before the first assignment
 * @param owned          the partitions of {@code topic} this instance owns now (its own, live truth)
 * @param detectionOwner whether this instance owns detection now
 * @param others         the other live members, as their rows in PostgreSQL say
 */
public record ClusterView(String self, String topic, int partitionCount, Set<Integer> owned, boolean detectionOwner,
                          List<Member> others) {

    /** Seconds a client waits before retrying when the owner is moving (a rebalance). */
    public static final int RETRY_MOVING = 1;
    /** Seconds a client waits before retrying when the owner did not answer (it is being replaced). */
    public static final int RETRY_GONE = 5;

    public ClusterView {
        owned = Set.copyOf(owned);
        others = List.copyOf(others);
    }

    /** Where a call is answered. */
    public sealed interface Answerer {
    }

    /** By this instance. */
    public record Here() implements Answerer {
    }

    /** By another member, at its advertised URL. */
    public record There(Member member) implements Answerer {
    }

    /** By nobody now: {@code why} in words, and when to ask again. */
    public record Nobody(String why, int retryAfterSeconds) implements Answerer {
    }

    /**
     * The partition Kafka's default partitioner gives a record keyed by this router (the producers
     * key events by router id, as UTF-8): murmur2 of the key, made positive, modulo the count.
     */
    public static int partitionOf(String router, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partition count must be positive, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(router.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Whether this instance is alone (no other live member): it answers everything, as one instance always did. */
    public boolean alone() {
        return others.isEmpty();
    }

    /** Who answers a call about {@code router}. */
    public Answerer router(String router) {
        if (alone()) {
            return new Here();
        }
        if (partitionCount < 1) {
            return new Nobody("this instance has not been assigned input partitions yet, so it cannot tell which "
                    + "member owns router '" + router + "'", RETRY_MOVING);
        }
        int p = partitionOf(router, partitionCount);
        if (owned.contains(p)) {
            return new Here();
        }
        return owner(p).<Answerer>map(There::new).orElseGet(() -> new Nobody("router '" + router + "' is in partition "
                + p + " of " + topic + ", which no live member owns now (a rebalance is moving it)", RETRY_MOVING));
    }

    /** The router's partition (of {@code topic}), or -1 while the count is not known. */
    public int partition(String router) {
        return partitionCount < 1 ? -1 : partitionOf(router, partitionCount);
    }

    /** Who answers a detection view: in facts mode the detection owner, else (local mode) this instance. */
    public Answerer detection(boolean factsMode) {
        if (!factsMode || alone() || detectionOwner) {
            return new Here();
        }
        return others.stream().filter(Member::detectionOwner).max(Comparator.comparing(Member::heartbeatAt))
                .<Answerer>map(There::new).orElseGet(() -> new Nobody("no member owns detection now (the detection "
                        + "owner is being elected or replaced)", RETRY_GONE));
    }

    /** The partitions of {@code topic} no live member owns now (empty when the count is not known). */
    public Set<Integer> unowned() {
        Set<Integer> out = new TreeSet<>();
        for (int p = 0; p < partitionCount; p++) {
            if (!owned.contains(p) && owner(p).isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The other member owning partition {@code p}: the freshest row that lists it. */
    private Optional<Member> owner(int p) {
        return others.stream().filter(m -> m.partitions().getOrDefault(topic, List.of()).contains(p))
                .max(Comparator.comparing(Member::heartbeatAt));
    }
}
