package io.meshwatch.ingest;

import io.meshwatch.ingest.CoPartitioning.BrokerDefaults;
import io.meshwatch.ingest.CoPartitioning.Verdict;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Before the consumers start: describes both input topics with an admin client on the service's
 * Kafka settings ({@code kafka.*}, SASL and TLS included) and stops start-up with one line when their
 * partition counts differ, or would differ once the broker creates the missing one
 * ({@link CoPartitioning#atStartup}). Every rebalance checks again ({@link InputRebalanceListener}).
 *
 * <p>Kafka not accepting connections is not a reason to stop (the consumers wait for it, as before):
 * the check is then skipped and a warning logged after the database check, so that an unreachable
 * database is still reported with its own single line.
 */
@ApplicationScoped
public class InputTopicsCheck {

    private static final Logger LOG = Logger.getLogger(InputTopicsCheck.class);
    static final Duration CONNECT = Duration.ofSeconds(3);
    static final Duration ANSWER = Duration.ofSeconds(15);

    private final MeshwatchConfig config;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final String bootstrap;
    private volatile String skipped;

    public InputTopicsCheck(MeshwatchConfig config,
                            @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.bootstrap = bootstrap;
    }

    void check(@Observes @Priority(StartupOrder.INPUT_TOPICS) StartupEvent ev) {
        String bgp = config.topics().bgp();
        String telemetry = config.topics().telemetry();
        if (bgp.equals(telemetry)) {
            throw new StartupFailure("meshwatch.topics.bgp and meshwatch.topics.telemetry are both '" + bgp
                    + "'; BGP and telemetry events need a topic each");
        }
        if (!anyAccepts(bootstrap)) {
            skipped = "Could not check the partition counts of " + bgp + " and " + telemetry + ": no Kafka broker of "
                    + bootstrap + " accepts connections; every rebalance checks them once the consumers are in";
            return;
        }
        Verdict v;
        try (Admin admin = Admin.create(adminConfig())) {
            v = verdict(admin, bgp, telemetry);
        } catch (KafkaUnanswered e) {
            LOG.warnf("Could not check the partition counts of %s and %s (%s); every rebalance checks them", bgp,
                    telemetry, e.getMessage());
            return;
        }
        switch (v.kind()) {
            case OK -> LOG.info(v.message());
            case UNKNOWN -> LOG.warn(v.message());
            case REFUSE -> throw new StartupFailure(v.message());
        }
    }

    /** The warning of a skipped check, once start-up got past the database. */
    void afterDatabase(@Observes @Priority(StartupOrder.DATABASE + 1) StartupEvent ev) {
        if (skipped != null) {
            LOG.warn(skipped);
        }
    }

    static Verdict verdict(Admin admin, String bgp, String telemetry) throws KafkaUnanswered {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(List.of(bgp, telemetry))
                .topicNameValues();
        OptionalInt b = partitions(described.get(bgp));
        OptionalInt t = partitions(described.get(telemetry));
        Optional<BrokerDefaults> broker = b.isPresent() && t.isPresent() ? Optional.empty() : brokerDefaults(admin);
        return CoPartitioning.atStartup(bgp, b, telemetry, t, broker);
    }

    private static OptionalInt partitions(KafkaFuture<TopicDescription> f) throws KafkaUnanswered {
        try {
            return OptionalInt.of(f.get(ANSWER.toSeconds(), TimeUnit.SECONDS).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new KafkaUnanswered(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new KafkaUnanswered("no answer within " + ANSWER.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnanswered("interrupted");
        }
    }

    /** {@code auto.create.topics.enable} and {@code num.partitions} of a broker; empty when not readable. */
    private static Optional<BrokerDefaults> brokerDefaults(Admin admin) {
        try {
            List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get(ANSWER.toSeconds(), TimeUnit.SECONDS));
            if (nodes.isEmpty()) {
                return Optional.empty();
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.get(0).idString());
            Config c = admin.describeConfigs(List.of(broker)).all().get(ANSWER.toSeconds(), TimeUnit.SECONDS).get(broker);
            ConfigEntry auto = c.get("auto.create.topics.enable");
            ConfigEntry count = c.get("num.partitions");
            if (auto == null || count == null || auto.value() == null || count.value() == null) {
                return Optional.empty();
            }
            return Optional.of(new BrokerDefaults(Boolean.parseBoolean(auto.value()), Integer.parseInt(count.value())));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debugf("Could not read the broker's topic defaults: %s", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The service's Kafka settings an admin client understands: the brokers, security, SASL and TLS. */
    private Map<String, Object> adminConfig() {
        Map<String, Object> out = new HashMap<>();
        if (kafkaConfig.isResolvable()) {
            kafkaConfig.get().forEach((k, v) -> {
                if (v != null && (k.equals("security.protocol") || k.startsWith("sasl.") || k.startsWith("ssl.")
                        || k.equals("client.dns.lookup"))) {
                    out.put(k, v);
                }
            });
        }
        out.put("bootstrap.servers", bootstrap);
        out.put("client.id", "meshwatch-input-topics-check");
        out.put("request.timeout.ms", (int) ANSWER.toMillis());
        out.put("default.api.timeout.ms", (int) ANSWER.toMillis());
        return out;
    }

    /** True when at least one bootstrap address accepts a TCP connection within {@link #CONNECT}. */
    static boolean anyAccepts(String bootstrap) {
        for (String server : bootstrap.split(",")) {
            String s = server.strip();
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = s.substring(0, colon).replaceAll("^\\[|\\]$", "");
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) CONNECT.toMillis());
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // try the next one
            }
        }
        return false;
    }

    /** Kafka answered neither yes nor no. */
    static final class KafkaUnanswered extends Exception {
        KafkaUnanswered(String message) {
            super(message);
        }
    }
}
