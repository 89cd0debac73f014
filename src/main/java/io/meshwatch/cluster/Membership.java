package io.meshwatch.cluster;

import io.meshwatch.cluster.MemberStore.Member;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This instance as a member of its deployment (the instances sharing {@code kafka.group.id}): its
 * id, the URL it is reached at, and the input partitions it owns now. The row in
 * {@code cluster_member} is written at every rebalance and every
 * {@code meshwatch.cluster.heartbeat-interval}, and deleted on a clean shutdown; members whose
 * heartbeat is older than {@code meshwatch.cluster.member-timeout} are gone.
 *
 * <p>Metrics: {@code meshwatch_cluster_partitions_owned{topic}} (how many partitions of each input
 * topic this instance owns), {@code meshwatch_cluster_partition_owned{topic,partition}} (1 while the
 * partition is owned; the series is removed when it is revoked) and {@code meshwatch_cluster_members}
 * (live members of the deployment, read at every heartbeat; NaN before the first read).
 *
 * <p>Threading: {@link #assigned} and {@link #revoked} run on the input consumer's polling thread
 * and only update concurrent state and hand the write to the reactive client (they never wait for
 * it); the heartbeat runs on a Vert.x timer. Writes may overlap: each carries a higher version, and
 * the database keeps the newest.
 */
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class);
    /** Rows of members gone this many timeouts ago are deleted by any member's heartbeat. */
    static final int FORGET_AFTER_TIMEOUTS = 10;
    /** How long the members' rows read for routing calls ({@link #view}) are reused. */
    public static final Duration VIEW_TTL = Duration.ofSeconds(1);

    private final MemberStore store;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final String group;
    private final List<String> topics;
    private final Duration heartbeat;
    private final Duration timeout;
    private final java.util.Optional<String> configuredUrl;
    private final int configuredPort;
    private final String host;
    private final String id;
    private final Instant startedAt;

    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Gauge> partitionGauges = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile double members = Double.NaN;
    private volatile boolean started;
    private volatile boolean stopping;
    private long timer = -1;

    private volatile boolean detectionOwner;
    private volatile int partitionCount = -1;
    /** The live rows, read from PostgreSQL at most once per {@link #VIEW_TTL}. */
    private final Uni<List<Member>> rows;

    public Membership(MemberStore store, MeterRegistry registry, Vertx vertx, MeshwatchConfig config, Clock clock,
                      @ConfigProperty(name = "kafka.group.id", defaultValue = "meshwatch") String group,
                      @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.store = store;
        this.registry = registry;
        this.vertx = vertx;
        this.group = group;
        this.topics = List.of(config.topics().bgp(), config.topics().telemetry());
        MeshwatchConfig.Cluster c = config.cluster();
        this.heartbeat = c.heartbeatInterval();
        this.timeout = c.memberTimeout();
        this.configuredUrl = c.advertisedUrl().map(String::strip).filter(s -> !s.isEmpty());
        this.configuredPort = port;
        check(configuredUrl, heartbeat, timeout);
        this.host = hostName();
        this.id = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.startedAt = clock.instant();
        this.rows = Uni.createFrom().deferred(() -> store.live(this.group, timeout)).memoize().forFixedDuration(VIEW_TTL);
        for (String topic : topics) {
            Gauge.builder("meshwatch.cluster.partitions.owned", () -> count(topic))
                    .description("Partitions of an input topic this instance owns").tag("topic", topic)
                    .register(registry);
        }
        Gauge.builder("meshwatch.cluster.members", () -> members)
                .description("Live members of this deployment (heartbeat younger than meshwatch.cluster.member-timeout)")
                .register(registry);
    }

    /** Checks the settings; a bad one stops start-up with one line naming it. */
    static void check(java.util.Optional<String> url, Duration heartbeat, Duration timeout) {
        url.ifPresent(u -> {
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw new StartupFailure("meshwatch.cluster.advertised-url: '" + u + "' is not a URL: " + e.getMessage());
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new StartupFailure("meshwatch.cluster.advertised-url: '" + u
                        + "' must be an absolute http:// or https:// URL with a host");
            }
        });
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new StartupFailure("meshwatch.cluster.heartbeat-interval must be positive, not " + heartbeat);
        }
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new StartupFailure("meshwatch.cluster.member-timeout (" + timeout + ") must be at least twice "
                    + "meshwatch.cluster.heartbeat-interval (" + heartbeat + "), or live members would be taken as gone");
        }
    }

    /** The settings are checked with the other ones, before anything connects. */
    void checked(@Observes @Priority(StartupOrder.INVENTORY_FILE) StartupEvent ev) {
        // constructing this bean did the checks
    }

    /** After the migrations, before the consumers: the row exists before the first rebalance. */
    void start(@Observes @Priority(StartupOrder.CLUSTER) StartupEvent ev) {
        started = true;
        LOG.infof("Cluster member %s of group %s (heartbeat every %s, gone after %s)", id, group, heartbeat, timeout);
        beat();
        synchronized (this) {
            timer = vertx.setPeriodic(heartbeat.toMillis(), heartbeat.toMillis(), t -> beat());
        }
    }

    /** Clean shutdown: no more writes, then the row goes (waits at most a few seconds). */
    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        synchronized (this) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
        if (!started) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            store.delete(id).await().atMost(Duration.ofSeconds(5));
            LOG.debugf("Cluster member %s left", id);
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove cluster member %s from PostgreSQL (it is taken as gone after %s): %s", id,
                    timeout, e.toString());
        }
    }

    // ------------------------------------------------------------------ rebalance (polling thread)

    /**
     * Partitions assigned to this instance (input consumer's polling thread), with the input topics'
     * partition count as the consumer's metadata says (-1: not known).
     */
    public void assigned(Collection<TopicPartition> partitions, int partitionCount) {
        if (partitionCount > 0) {
            this.partitionCount = partitionCount;
        }
        for (TopicPartition tp : partitions) {
            if (topics.contains(tp.topic()) && owned.add(tp)) {
                partitionGauges.computeIfAbsent(tp, k -> Gauge.builder("meshwatch.cluster.partition.owned", () -> 1)
                        .description("1 while this instance owns the input partition")
                        .tag("topic", k.topic()).tag("partition", Integer.toString(k.partition()))
                        .register(registry));
            }
        }
        LOG.infof("Input partitions owned by %s (%s): %s", id, url(), partitions());
        publishQuietly();
    }

    /** Partitions revoked or lost (input consumer's polling thread). */
    public void revoked(Collection<TopicPartition> partitions) {
        boolean changed = false;
        for (TopicPartition tp : partitions) {
            if (owned.remove(tp)) {
                changed = true;
                Gauge g = partitionGauges.remove(tp);
                if (g != null) {
                    registry.remove(g);
                }
            }
        }
        if (changed) {
            publishQuietly();
        }
    }

    /**
     * Whether this instance owns detection now (facts mode: it holds the facts partition in the
     * detection owner's group); published at once and with every heartbeat.
     */
    public void detectionOwner(boolean owner) {
        if (detectionOwner != owner) {
            detectionOwner = owner;
            publishQuietly();
        }
    }

    public boolean isDetectionOwner() {
        return detectionOwner;
    }

    // ------------------------------------------------------------------ reading

    /** This instance's id: its host name and a random start id. */
    public String id() {
        return id;
    }

    public String group() {
        return group;
    }

    /** The partitions owned now, per input topic (every input topic present, sorted). */
    public Map<String, List<Integer>> partitions() {
        Map<String, List<Integer>> out = new TreeMap<>();
        for (String topic : topics) {
            Set<Integer> ps = new TreeSet<>();
            for (TopicPartition tp : owned) {
                if (tp.topic().equals(topic)) {
                    ps.add(tp.partition());
                }
            }
            out.put(topic, List.copyOf(ps));
        }
        return out;
    }

    /** The URL this instance advertises: the configured one, else {@code http://<host>:<HTTP port>}. */
    public String url() {
        return configuredUrl.orElseGet(() -> "http://" + host + ":" + httpPort());
    }

    /**
     * The HTTP port listened on: once the server runs, Quarkus answers the port keys with the real
     * port (the configured one may be 0, any free port; tests listen on {@code quarkus.http.test-port}).
     */
    private int httpPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        try {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, Integer.class)
                    .filter(p -> p > 0).orElse(configuredPort);
        } catch (RuntimeException e) {
            return configuredPort;
        }
    }

    /** The live members of this deployment, from PostgreSQL. */
    public Uni<List<Member>> members() {
        return store.live(group, timeout);
    }

    /**
     * This instance's own state (owned partitions, detection ownership: its live truth) with the other
     * live members' rows, read from PostgreSQL at most once per {@link #VIEW_TTL}; for routing calls.
     */
    public Uni<ClusterView> view() {
        String topic = topics.get(0);
        return rows.map(ms -> new ClusterView(id, topic, partitionCount, Set.copyOf(partitions().get(topic)), detectionOwner,
                ms.stream().filter(m -> !m.id().equals(id)).toList()));
    }

    private double count(String topic) {
        return owned.stream().filter(tp -> tp.topic().equals(topic)).count();
    }

    // ------------------------------------------------------------------ writing

    private Member self() {
        return new Member(id, group, url(), partitions(), detectionOwner, startedAt, null);
    }

    /** Writes this instance's row now; completes when PostgreSQL has it (or a newer one). */
    Uni<Void> publish() {
        if (!started || stopping) {
            return Uni.createFrom().voidItem();
        }
        long v = version.incrementAndGet();
        Member m = self();
        return Uni.createFrom().deferred(() -> {
            inFlight.incrementAndGet();
            return store.upsert(m, v).onTermination().invoke(inFlight::decrementAndGet);
        });
    }

    private void publishQuietly() {
        publish().subscribe().with(ok -> recovered(), this::failed);
    }

    private void beat() {
        if (stopping) {
            return;
        }
        publish().chain(() -> store.sweepAndCount(group, timeout, timeout.multipliedBy(FORGET_AFTER_TIMEOUTS)))
                .subscribe().with(n -> {
                    members = n;
                    recovered();
                }, this::failed);
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) {
            LOG.infof("Cluster member %s is written to PostgreSQL again", id);
        }
    }

    private void failed(Throwable e) {
        if (failing.compareAndSet(false, true)) {
            LOG.warnf("Could not write cluster member %s to PostgreSQL (retried every %s; after %s other instances "
                    + "take it as gone): %s", id, heartbeat, timeout, e.toString());
        } else {
            LOG.debugf("Cluster member %s still not written: %s", id, e.toString());
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
