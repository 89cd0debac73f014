package io.meshwatch.ingest;

import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The rule that keeps a router's BGP and telemetry events on one instance, and what to do when the
 * input topics cannot keep it.
 *
 * <p>Events are keyed by router id, and Kafka's default partitioner puts a key in the same
 * partition number of every topic with the same partition count. The input channel subscribes to
 * both topics with Kafka's {@code RangeAssignor}, which works per topic: it lays out each topic's
 * partitions in numeric order and the members in one (lexicographic) order and gives each member the
 * same range of every topic; its documentation says topics with equal partition counts and the same
 * subscribers are co-partitioned (rack-aware assignment, KIP-881, keeps co-partitioning first). So
 * equal partition counts are the whole condition; unequal ones break it for some routers.
 *
 * <p>Plain Java: every decision here is a function of the counts, so it is tested without a broker.
 */
public final class CoPartitioning {

    /** What start-up does. */
    public enum Kind {
        /** The counts are equal, or will be: go on (logged at INFO). */
        OK,
        /** Cannot tell yet: go on, say so (WARN); every rebalance checks again. */
        UNKNOWN,
        /** The counts differ or would differ: stop start-up with the message. */
        REFUSE
    }

    /** A decision and the one line that explains it. */
    public record Verdict(Kind kind, String message) {
    }

    /**
     * What the broker does with a topic a consumer asks for and that does not exist.
     *
     * @param autoCreate    {@code auto.create.topics.enable}
     * @param numPartitions {@code num.partitions}, the count it creates such a topic with
     */
    public record BrokerDefaults(boolean autoCreate, int numPartitions) {
    }

    private CoPartitioning() {
    }

    /**
     * The start-up decision from the topics' partition counts (empty: the topic does not exist) and
     * the broker's defaults (empty: unknown, e.g. not allowed to read them).
     */
    public static Verdict atStartup(String bgp, OptionalInt bgpCount, String telemetry, OptionalInt telemetryCount,
                                    Optional<BrokerDefaults> broker) {
        if (bgpCount.isPresent() && telemetryCount.isPresent()) {
            int b = bgpCount.getAsInt();
            int t = telemetryCount.getAsInt();
            if (b == t) {
                return new Verdict(Kind.OK, "Input topics " + bgp + " and " + telemetry + " have " + b
                        + " partitions each: a router's BGP and telemetry events are consumed by the same instance");
            }
            return new Verdict(Kind.REFUSE, differ(bgp, b, telemetry, t));
        }
        if (bgpCount.isEmpty() && telemetryCount.isEmpty()) {
            if (broker.isPresent() && broker.get().autoCreate()) {
                return new Verdict(Kind.OK, "Input topics " + bgp + " and " + telemetry + " do not exist yet; the "
                        + "broker creates both on first use with num.partitions=" + broker.get().numPartitions());
            }
            return new Verdict(Kind.UNKNOWN, "Input topics " + bgp + " and " + telemetry + " do not exist yet"
                    + (broker.isPresent() ? " and the broker does not create topics (auto.create.topics.enable=false)"
                    : "") + "; create both with the same number of partitions (every rebalance checks the counts)");
        }
        String existing = bgpCount.isPresent() ? bgp : telemetry;
        String missing = bgpCount.isPresent() ? telemetry : bgp;
        int n = bgpCount.isPresent() ? bgpCount.getAsInt() : telemetryCount.getAsInt();
        String create = "kafka-topics --create --topic " + missing + " --partitions " + n;
        if (broker.isPresent() && broker.get().autoCreate()) {
            int m = broker.get().numPartitions();
            if (m == n) {
                return new Verdict(Kind.OK, "Input topic " + missing + " does not exist yet; the broker creates it on "
                        + "first use with num.partitions=" + m + ", as many as " + existing + " has");
            }
            return new Verdict(Kind.REFUSE, "input topic " + missing + " does not exist and the broker would create "
                    + "it with num.partitions=" + m + " while " + existing + " has " + n + " partitions, so a router's "
                    + "BGP and telemetry events could be consumed by different instances; create it first with "
                    + n + " partitions (" + create + ")");
        }
        return new Verdict(Kind.UNKNOWN, "Input topic " + missing + " does not exist yet"
                + (broker.isPresent() ? " and the broker does not create topics (auto.create.topics.enable=false)" : "")
                + "; create it with " + n + " partitions, as many as " + existing + " has (" + create
                + "); every rebalance checks the counts");
    }

    /** The refusal for two existing topics with different counts, with the fix. */
    static String differ(String bgp, int b, String telemetry, int t) {
        String smaller = b < t ? bgp : telemetry;
        int larger = Math.max(b, t);
        return "input topics " + bgp + " (" + b + " partitions) and " + telemetry + " (" + t + " partitions) must "
                + "have the same number of partitions, or a router's BGP and telemetry events can be consumed by "
                + "different instances; add partitions to the smaller one (kafka-topics --alter --topic " + smaller
                + " --partitions " + larger + "; adding partitions moves routers between partitions, so do it while "
                + "producers are stopped, or recreate both topics)";
    }

    /**
     * At a rebalance: what is wrong, if anything, with the topics' current partition counts (-1: the
     * topic does not exist or its count is unknown) and the partitions this instance was just assigned.
     */
    public static Optional<String> atRebalance(String bgp, int bgpCount, String telemetry, int telemetryCount,
                                               Collection<TopicPartition> assigned) {
        if (bgpCount < 0 || telemetryCount < 0) {
            return Optional.empty(); // a topic that does not exist is not consumed; its creation rebalances again
        }
        if (bgpCount != telemetryCount) {
            return Optional.of("The " + differ(bgp, bgpCount, telemetry, telemetryCount)
                    + " (the topics changed after start-up)");
        }
        Set<Integer> b = numbers(bgp, assigned);
        Set<Integer> t = numbers(telemetry, assigned);
        if (!b.equals(t)) {
            return Optional.of("This instance was assigned partitions " + b + " of " + bgp + " but " + t + " of "
                    + telemetry + ": a router's BGP and telemetry events are consumed by different instances (do all "
                    + "members of the consumer group run this version, with the same topics?)");
        }
        return Optional.empty();
    }

    /** The partition numbers of {@code topic} among {@code partitions}, sorted. */
    public static Set<Integer> numbers(String topic, Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topic)) {
                out.add(tp.partition());
            }
        }
        return out;
    }
}
