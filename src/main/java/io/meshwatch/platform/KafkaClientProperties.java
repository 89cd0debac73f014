package io.meshwatch.platform;

import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The service's Kafka settings ({@code kafka.*}: bootstrap servers, SASL, TLS) as the properties of
 * a plain Kafka client of one kind, keeping only the names that kind knows.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** The same, from the connector's shared configuration bean (absent: no shared settings). */
    public static Properties of(Instance<Map<String, Object>> kafka, String bootstrap, Set<String> known) {
        return of(kafka.isResolvable() ? kafka.get() : Map.of(), bootstrap, known);
    }

    /**
     * @param kafka     the connector's shared configuration (the {@code default-kafka-broker} map), or empty
     * @param bootstrap {@code kafka.bootstrap.servers}
     * @param known     the client kind's configuration names, e.g. {@code ProducerConfig.configNames()}
     */
    public static Properties of(Map<String, Object> kafka, String bootstrap, Set<String> known) {
        Map<String, Object> all = new HashMap<>(kafka);
        all.put("bootstrap.servers", bootstrap);
        Properties p = new Properties();
        all.forEach((k, v) -> {
            if (known.contains(k) && v != null && !String.valueOf(v).isEmpty()) {
                p.put(k, String.valueOf(v));
            }
        });
        return p;
    }
}
