package io.meshwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwatch.detect.runtime.DetectConfig;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks every manifest of {@code k8s/} against the application: the kustomization lists every file,
 * the Deployment is safe and probed where the application answers, every environment variable it sets
 * is one the application (or its image's launcher) reads, the topics are the application's defaults,
 * and the other resources select what the Deployment runs.
 */
class ManifestsTest {

    private static final Path APP_PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    private static JsonNode deployment() {
        return K8s.one("Deployment").node();
    }

    private static JsonNode container() {
        JsonNode containers = deployment().path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    @Test
    void everyFileParsesAndTheKustomizationListsEachExactlyOnce() {
        JsonNode k = K8s.kustomization();
        List<String> listed = new java.util.ArrayList<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        for (JsonNode g : k.path("configMapGenerator")) {
            g.path("files").forEach(f -> listed.add(f.asText()));
        }
        assertEquals(listed.size(), new HashSet<>(listed).size(), "listed twice: " + listed);
        Set<String> files = K8s.files().stream().map(p -> p.getFileName().toString())
                .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, new TreeSet<>(listed), "k8s/*.yaml and the kustomization's resources and files");
        for (Path f : K8s.files()) {
            assertFalse(K8s.read(f).isEmpty(), f + " is empty");
        }
        for (K8s.Doc d : K8s.resources()) {
            assertFalse(d.node().path("apiVersion").asText().isEmpty(), d.file() + ": apiVersion");
            assertFalse(d.kind().isEmpty(), d.file() + ": kind");
            assertFalse(d.name().isEmpty(), d.file() + ": metadata.name");
        }
        Set<String> kinds = K8s.resources().stream().map(K8s.Doc::kind).collect(Collectors.toSet());
        assertEquals(Set.of("Deployment", "Service", "ServiceMonitor", "PrometheusRule", "PodDisruptionBudget",
                "ScaledObject", "TriggerAuthentication", "KafkaTopic"), kinds);
    }

    @Test
    void theDeploymentRunsAsNonRootOnAReadOnlyRootWithResourcesAndProbes() {
        JsonNode pod = deployment().path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertNotEquals(0, pod.path("securityContext").path("runAsUser").asInt(0), "runAsUser is not root");
        JsonNode c = container();
        JsonNode sc = c.path("securityContext");
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
        assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation: false");
        assertEquals("ALL", sc.path("capabilities").path("drop").path(0).asText(), "drops all capabilities");
        JsonNode res = c.path("resources");
        for (String r : List.of("cpu", "memory")) {
            assertFalse(res.path("requests").path(r).asText().isEmpty(), "requests." + r);
        }
        assertFalse(res.path("limits").path("memory").asText().isEmpty(), "limits.memory");
        assertEquals("/q/health/started", c.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        Set<String> ports = new HashSet<>();
        c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertTrue(ports.contains(c.path(probe).path("httpGet").path("port").asText()), probe + " port");
        }
        // the writable /tmp is an emptyDir
        String tmpVolume = null;
        for (JsonNode m : c.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/tmp")) {
                tmpVolume = m.path("name").asText();
            }
        }
        assertTrue(tmpVolume != null, "/tmp is mounted");
        assertTrue(volume(tmpVolume).has("emptyDir"), "/tmp is an emptyDir");
    }

    private static JsonNode volume(String name) {
        for (JsonNode v : deployment().path("spec").path("template").path("spec").path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** The value {@link #environment} gives a variable from the downward API, before its field path. */
    private static final String FIELD = "field:";

    /** Environment variables of the container and of the generated ConfigMap it loads, with their values. */
    private static Map<String, String> environment() {
        return environment(true);
    }

    /** The same, leaving out variables of optional Secret keys when {@code optional} is false. */
    private static Map<String, String> environment(boolean optional) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode c = container();
        Set<String> fromConfigMaps = new HashSet<>();
        c.path("envFrom").forEach(e -> fromConfigMaps.add(e.path("configMapRef").path("name").asText()));
        boolean found = false;
        for (JsonNode g : K8s.kustomization().path("configMapGenerator")) {
            if (fromConfigMaps.contains(g.path("name").asText())) {
                found = true;
                for (JsonNode l : g.path("literals")) {
                    String[] kv = l.asText().split("=", 2);
                    env.put(kv[0], kv[1]);
                }
            }
        }
        assertTrue(found, "the ConfigMap of envFrom is generated by the kustomization");
        for (JsonNode e : c.path("env")) {
            JsonNode secret = e.path("valueFrom").path("secretKeyRef");
            JsonNode field = e.path("valueFrom").path("fieldRef");
            if (!optional && secret.path("optional").asBoolean(false)) {
                continue;
            }
            String value = e.has("value") ? e.path("value").asText()
                    : !field.isMissingNode() ? FIELD + field.path("fieldPath").asText()
                    : "secret:" + secret.path("name").asText() + "/" + secret.path("key").asText();
            env.put(e.path("name").asText(), value);
        }
        return env;
    }

    @Test
    void everyEnvironmentVariableIsOneTheApplicationReads() throws IOException {
        Properties props = new Properties();
        try (var in = Files.newInputStream(APP_PROPERTIES)) {
            props.load(in);
        }
        String text = Files.readString(APP_PROPERTIES);
        Set<String> envOfKeys = new HashSet<>();
        for (String key : props.stringPropertyNames()) {
            String bare = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            envOfKeys.add(bare.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        Map<String, String> env = environment();
        SmallRyeConfig config = config(env);
        MeshwatchConfig mesh = config.getConfigMapping(MeshwatchConfig.class);
        // read through the configuration mapping, by name
        Map<String, String> mapped = new HashMap<>();
        mapped.put("MESHWATCH_NOTIFY_EXTERNAL_URL", mesh.notifications().externalUrl());
        mapped.put("MESHWATCH_NOTIFY_WEBHOOKS__ONCALL__URL", mesh.notifications().webhooks().get("oncall").url());
        mapped.put("MESHWATCH_NOTIFY_WEBHOOKS__ONCALL__SECRET",
                mesh.notifications().webhooks().get("oncall").secret().orElse(null));
        mapped.put("MESHWATCH_AUTH_KEYS__NOC__KEY", mesh.auth().keys().get("noc").key());
        mapped.put("MESHWATCH_AUTH_KEYS__NOC__ROLE", mesh.auth().keys().get("noc").role());
        mapped.put("MESHWATCH_AUTH_KEYS__OPS__KEY", mesh.auth().keys().get("ops").key());
        mapped.put("MESHWATCH_AUTH_KEYS__OPS__ROLE", mesh.auth().keys().get("ops").role());
        mapped.put("MESHWATCH_CLUSTER_ADVERTISED_URL", mesh.cluster().advertisedUrl().orElse(null));
        mapped.put("MESHWATCH_TOPICS_FACTS", mesh.topics().facts());
        mapped.put("MESHWATCH_DETECT_MODE",
                config.getConfigMapping(DetectConfig.class).mode().name().toLowerCase(java.util.Locale.ROOT));
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> names = List.copyOf(env.keySet());
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            boolean read = text.contains("${" + name + ":") || text.contains("${" + name + "}")
                    || envOfKeys.contains(name) || dockerfile.contains(name);
            if (e.getValue().startsWith(FIELD)) {
                // a downward-API value is there to be named by a later variable as $(NAME): Kubernetes
                // expands only variables defined before the one that names them
                int at = names.indexOf(name);
                boolean named = names.subList(at + 1, names.size()).stream()
                        .anyMatch(later -> env.get(later).contains("$(" + name + ")"));
                assertTrue(named, name + " comes from the downward API but no later variable names it as $(" + name + ")");
                read = true;
            }
            if (mapped.containsKey(name)) {
                assertEquals(e.getValue(), mapped.get(name), name + " as the application's mapping reads it");
                read = true;
            }
            assertTrue(read, name + " is set in k8s/ but nothing in the application reads it");
        }
        // the Kafka security settings reach the Kafka configuration
        assertEquals("SASL_SSL", config.getRawValue("kafka.security.protocol"));
        assertEquals("SCRAM-SHA-512", config.getRawValue("kafka.sasl.mechanism"));
        assertEquals(env.get("KAFKA_SASL_JAAS_CONFIG"), config.getRawValue("kafka.sasl.jaas.config"));
        assertEquals("PEM", config.getRawValue("kafka.ssl.truststore.type"));
        assertEquals(env.get("MESHWATCH_DB_HOST"), mesh.db().host());
        assertEquals(env.get("MESHWATCH_TOPICS_BGP"), mesh.topics().bgp());
        assertEquals(env.get("MESHWATCH_INVENTORY_FILE"), mesh.inventory().file().orElse(null));
        // the advertised URL is the pod IP on the container's http port
        assertEquals("field:status.podIP", env.get("POD_IP"));
        int http = 0;
        for (JsonNode p : container().path("ports")) {
            if (p.path("name").asText().equals("http")) {
                http = p.path("containerPort").asInt();
            }
        }
        assertEquals("http://$(POD_IP):" + http, mesh.cluster().advertisedUrl().orElse(null));
    }

    @Test
    void theConfigurationHoldsWhenTheOptionalSecretsAreAbsent() {
        Map<String, String> env = environment(false);
        assertFalse(env.containsKey("MESHWATCH_NOTIFY_WEBHOOKS__ONCALL__URL"), "the webhook Secret is optional");
        MeshwatchConfig mesh = config(env).getConfigMapping(MeshwatchConfig.class);
        assertTrue(mesh.notifications().webhooks().isEmpty(), "no receiver without its Secret");
        assertEquals(Set.of("noc", "ops"), mesh.auth().keys().keySet());
        mesh.auth().keys().values().forEach(k -> assertFalse(k.key().isEmpty()));
    }

    @Test
    void withoutTheEnvironmentKafkaIsPlaintextAndNoSecuritySettingIsSet() {
        SmallRyeConfig config = config(Map.of());
        assertEquals("PLAINTEXT", config.getRawValue("kafka.security.protocol"));
        for (String key : List.of("kafka.sasl.mechanism", "kafka.sasl.jaas.config", "kafka.ssl.truststore.location",
                "kafka.ssl.keystore.location", "kafka.ssl.truststore.type")) {
            assertTrue(config.getOptionalValue(key, String.class).isEmpty(), key + " is unset by default");
        }
    }

    private static SmallRyeConfig config(Map<String, String> env) {
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                    .withSources(new EnvConfigSource(env, 300))
                    .withSources(new PropertiesConfigSource(APP_PROPERTIES.toUri().toURL(), 250))
                    .withMapping(MeshwatchConfig.class)
                    .withMapping(DetectConfig.class)
                    .withValidateUnknown(false)
                    .build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTruststoreIsTheMountedClusterCa() {
        String location = environment().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        JsonNode mount = null;
        for (JsonNode m : container().path("volumeMounts")) {
            if (location.startsWith(m.path("mountPath").asText() + "/")) {
                mount = m;
            }
        }
        assertTrue(mount != null, location + " is inside a mounted volume");
        String file = location.substring(mount.path("mountPath").asText().length() + 1);
        JsonNode secret = volume(mount.path("name").asText()).path("secret");
        assertFalse(secret.isMissingNode(), "the CA comes from a Secret");
        boolean item = false;
        for (JsonNode i : secret.path("items")) {
            item |= i.path("path").asText().equals(file);
        }
        assertTrue(item, "the Secret's items put " + file + " there");
    }

    @Test
    void kafkaTopicsAreTheApplicationsDefaultTopicsWithPartitionsAndRetention() throws Exception {
        Set<String> defaults = new TreeSet<>();
        for (var m : MeshwatchConfig.Topics.class.getDeclaredMethods()) {
            defaults.add(m.getAnnotation(WithDefault.class).value());
        }
        Map<String, JsonNode> topics = new HashMap<>();
        for (K8s.Doc d : K8s.ofKind("KafkaTopic")) {
            JsonNode spec = d.node().path("spec");
            String name = spec.has("topicName") ? spec.path("topicName").asText() : d.name();
            topics.put(name, spec);
            assertFalse(d.node().path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty(),
                    name + " names its Kafka cluster");
            assertTrue(spec.path("partitions").asInt() >= 1, name + " partitions");
            assertTrue(spec.path("replicas").asInt() >= 1, name + " replicas");
        }
        assertEquals(defaults, new TreeSet<>(topics.keySet()));
        MeshwatchConfig c = config(Map.of()).getConfigMapping(MeshwatchConfig.class);
        assertEquals("compact", topics.get(c.topics().alerts()).path("config").path("cleanup.policy").asText());
        for (String t : List.of(c.topics().bgp(), c.topics().telemetry(), c.topics().dlq())) {
            assertTrue(topics.get(t).path("config").path("retention.ms").asLong() > 0, t + " retention.ms");
        }
        assertEquals(1, topics.get(c.topics().facts()).path("partitions").asInt(),
                "one facts partition: one detection owner (ADR 0003)");
        // co-partitioned: partition p of both input topics holds the same routers (docs/operations.md, "Scaling")
        assertEquals(topics.get(c.topics().bgp()).path("partitions").asInt(),
                topics.get(c.topics().telemetry()).path("partitions").asInt(),
                "the input topics have the same number of partitions");
        // with RangeAssignor an instance beyond the input partition count gets nothing: that is the bound
        assertEquals(topics.get(c.topics().bgp()).path("partitions").asInt(),
                K8s.one("ScaledObject").node().path("spec").path("maxReplicaCount").asInt(),
                "KEDA scales up to the input topics' partition count");
    }

    @Test
    void serviceMonitorAndPdbSelectTheDeployment() {
        Map<String, String> podLabels = labels(deployment().path("spec").path("template").path("metadata")
                .path("labels"));
        assertEquals(podLabels, labels(deployment().path("spec").path("selector").path("matchLabels")));
        JsonNode service = K8s.one("Service").node();
        assertTrue(podLabels.entrySet().containsAll(labels(service.path("spec").path("selector")).entrySet()));
        // kustomize adds its labels to every resource's metadata
        Map<String, String> serviceLabels = new HashMap<>(labels(service.path("metadata").path("labels")));
        serviceLabels.putAll(labels(K8s.kustomization().path("labels").path(0).path("pairs")));
        Set<String> containerPorts = new HashSet<>();
        container().path("ports").forEach(p -> containerPorts.add(p.path("name").asText()));
        Set<String> servicePorts = new HashSet<>();
        for (JsonNode p : service.path("spec").path("ports")) {
            servicePorts.add(p.path("name").asText());
            assertTrue(containerPorts.contains(p.path("targetPort").asText()), "target port " + p);
        }
        JsonNode sm = K8s.one("ServiceMonitor").node().path("spec");
        assertTrue(serviceLabels.entrySet().containsAll(labels(sm.path("selector").path("matchLabels")).entrySet()),
                "the ServiceMonitor selects the Service");
        assertEquals("/q/metrics", sm.path("endpoints").path(0).path("path").asText());
        assertTrue(servicePorts.contains(sm.path("endpoints").path(0).path("port").asText()));
        JsonNode pdb = K8s.one("PodDisruptionBudget").node().path("spec");
        assertTrue(podLabels.entrySet().containsAll(labels(pdb.path("selector").path("matchLabels")).entrySet()));
        assertTrue(pdb.has("maxUnavailable") || pdb.has("minAvailable"));
        assertEquals(1, pdb.path("maxUnavailable").asInt(), "a drain takes one instance at a time");
        assertTrue(replicas() - pdb.path("maxUnavailable").asInt() >= 2,
                "a drain leaves the detection owner and a standby");
    }

    private static int replicas() {
        return deployment().path("spec").path("replicas").asInt();
    }

    @Test
    void threeReplicasSpreadOverNodesWithOneDetectionOwnerElectedAmongThem() {
        assertEquals(3, replicas(), "three instances: partitions shared, detection owner plus standbys");
        JsonNode pod = deployment().path("spec").path("template");
        JsonNode preferred = pod.path("spec").path("affinity").path("podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution");
        assertEquals(1, preferred.size(), "one preferred anti-affinity term");
        assertTrue(pod.path("spec").path("affinity").path("podAntiAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").isMissingNode(),
                "preferred, not required: a required rule leaves replicas Pending on too few nodes");
        JsonNode term = preferred.get(0).path("podAffinityTerm");
        assertEquals("kubernetes.io/hostname", term.path("topologyKey").asText());
        assertEquals(labels(pod.path("metadata").path("labels")), labels(term.path("labelSelector").path("matchLabels")),
                "the anti-affinity selects this Deployment's own pods");
        Map<String, String> env = environment();
        DetectConfig detect = config(env).getConfigMapping(DetectConfig.class);
        assertEquals(DetectConfig.Mode.FACTS, detect.mode(), "detection on one elected owner (ADR 0003)");
        // leaving cleanly (batch, revocation, member row) must fit in the grace period, with the owner
        // group's session timeout as the least it must cover
        long grace = pod.path("spec").path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= 60 && grace > detect.owner().sessionTimeout().toSeconds(), "grace period " + grace);
    }

    @Test
    void kedaScalesTheDeploymentOnTheInputGroupsLag() {
        Map<String, String> env = environment();
        SmallRyeConfig config = config(env);
        MeshwatchConfig mesh = config.getConfigMapping(MeshwatchConfig.class);
        JsonNode so = K8s.one("ScaledObject").node().path("spec");
        assertEquals("Deployment", so.path("scaleTargetRef").path("kind").asText());
        assertEquals("apps/v1", so.path("scaleTargetRef").path("apiVersion").asText());
        assertEquals(K8s.one("Deployment").name(), so.path("scaleTargetRef").path("name").asText());
        assertEquals(replicas(), so.path("minReplicaCount").asInt(), "KEDA never goes below the Deployment's 3");
        assertTrue(so.path("minReplicaCount").asInt() < so.path("maxReplicaCount").asInt());
        Set<String> topics = new TreeSet<>();
        String auth = K8s.one("TriggerAuthentication").name();
        for (JsonNode t : so.path("triggers")) {
            assertEquals("kafka", t.path("type").asText());
            JsonNode m = t.path("metadata");
            assertEquals(config.getRawValue("kafka.group.id"), m.path("consumerGroup").asText(),
                    "the scaler watches the shard stage's group, kafka.group.id");
            assertEquals(config.getRawValue("kafka.bootstrap.servers"), m.path("bootstrapServers").asText());
            assertEquals("false", m.path("allowIdleConsumers").asText(), "no instance beyond the partitions");
            assertTrue(m.path("lagThreshold").asLong() > 0, "lagThreshold");
            assertEquals(auth, t.path("authenticationRef").path("name").asText());
            topics.add(m.path("topic").asText());
        }
        assertEquals(new TreeSet<>(List.of(mesh.topics().bgp(), mesh.topics().telemetry())), topics,
                "one trigger per input topic");
        assertFalse(topics.contains(mesh.topics().facts()), "the facts topic has one partition: nothing to scale on");
    }

    @Test
    void thePrometheusRuleCarriesTheRulesFileGroups() throws IOException {
        JsonNode file = K8s.YAML.readTree(Path.of("grafana/rules/meshwatch.rules.yaml").toFile());
        assertEquals(file.path("groups"), K8s.one("PrometheusRule").node().path("spec").path("groups"),
                "k8s/prometheusrule.yaml and grafana/rules/meshwatch.rules.yaml differ");
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new HashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
