package io.meshwatch.sim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * The options of {@code bin/sim run} ({@link StandaloneSimulator}), checked. Defaults come from the
 * environment the service reads ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code MESHWATCH_TOPICS_BGP},
 * {@code MESHWATCH_TOPICS_TELEMETRY}, {@code MESHWATCH_SIM_API_KEY}), else the dev broker and topics;
 * the simulation's own knobs default to those of {@code meshwatch.sim.*} ({@link SimSettings#defaults()}).
 *
 * @param bootstrap      Kafka brokers, {@code host:port[,host:port...]}
 * @param inventory      the inventory it plays: a file, or {@code classpath:...}
 * @param bind           the address the scenario API listens on
 * @param port           its port; 0 picks a free one (printed at start)
 * @param apiKey         the key the API asks for ({@code Authorization: Bearer}); null for none, which only
 *                       a loopback address allows
 * @param kafkaTimeout   how long to wait for Kafka at start (and for a full producer buffer later)
 * @param settings       the simulation's knobs
 */
public record StandaloneOptions(String bootstrap, String bgpTopic, String telemetryTopic, String inventory,
                                InetAddress bind, int port, String apiKey, Duration kafkaTimeout,
                                SimSettings settings) {

    static final int DEFAULT_PORT = 8090;

    public static final String USAGE = """
            usage: bin/sim run [options]    plays the network into Kafka and serves the scenario API, consuming nothing
              --bootstrap HOST:PORT[,...]   Kafka brokers (default $KAFKA_BOOTSTRAP_SERVERS or localhost:9092);
                                            SASL/TLS from KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_* as for the service
              --inventory FILE              YAML or JSON inventory (default the demo network, classpath:inventory/demo.yaml)
              --port N                      scenario API port (default 8090; 0 = any free port)
              --bind ADDR                   its address (default 127.0.0.1); any other than loopback needs --api-key
              --api-key KEY                 key the API asks for as Authorization: Bearer (default $MESHWATCH_SIM_API_KEY)
              --bgp-topic T                 (default $MESHWATCH_TOPICS_BGP or meshwatch.bgp.v1)
              --telemetry-topic T           (default $MESHWATCH_TOPICS_TELEMETRY or meshwatch.telemetry.v1)
              --kafka-timeout D             how long to wait for Kafka (default 15s)
              --rate N                      churn: prefix flaps started per second (default 2; 0 = none)
              --burst N                     most prefixes per second in table transfers (default 0 = unpaced)
              --extra-prefixes N            /24s each router originates (default 300)
              --update-size N               most prefixes per bgp.update (default 200)
              --hold-time D                 BGP hold time (default 90s; dev mode uses 6s)
              --dpd-timeout D               IKE dead-peer detection (default 10s; dev mode uses 3s)
              --ike-setup D, --bgp-setup D  tunnel and session set-up times (default 2s, 3s)
              --scenario-duration D         a scenario's fault unless the request says (default 60s)
              --probe-interval D            probe rounds (default 5s)
              --telemetry-interval D        counters, tunnel states, retransmits (default 10s)
              --full-table-ipv4 N, --full-table-ipv6 N   the full-table scenario's size (default 1000000, 250000)
              --seed N                      seed of every random choice (default 20261126)
            D is a duration: 30s, 500ms, 2m, 1h, PT30S or seconds. Ctrl-C or SIGTERM flushes and exits 0.
            Exit codes: 0 stopped, 1 Kafka unreachable or the port taken, 2 bad arguments or inventory.""";

    /** Bad arguments; the message says which. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Whether the API needs no key: only on a loopback address. */
    public boolean loopback() {
        return bind.isLoopbackAddress();
    }

    /**
     * Parses {@code args} (all options, each with a value) with defaults from {@code env}.
     *
     * @throws UsageException naming the bad argument
     */
    public static StandaloneOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String bootstrap = env(env, "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String bgp = env(env, "MESHWATCH_TOPICS_BGP", "meshwatch.bgp.v1");
        String telemetry = env(env, "MESHWATCH_TOPICS_TELEMETRY", "meshwatch.telemetry.v1");
        String apiKey = env(env, "MESHWATCH_SIM_API_KEY", null);
        String inventory = SimInventory.DEMO;
        String bind = "127.0.0.1";
        int port = DEFAULT_PORT;
        Duration kafkaTimeout = Duration.ofSeconds(15);
        SimSettings d = SimSettings.defaults();
        int extra = d.extraPrefixes();
        double rate = d.churnPerSecond();
        double burst = d.burstPerSecond();
        int updateSize = d.updateSize();
        Duration hold = d.holdTime();
        Duration dpd = d.dpdTimeout();
        Duration ike = d.ikeSetup();
        Duration bgpSetup = d.bgpSetup();
        Duration scenario = d.scenarioDuration();
        Duration probe = d.probeInterval();
        Duration tele = d.telemetryInterval();
        int ipv4 = d.fullTableIpv4();
        int ipv6 = d.fullTableIpv6();
        long seed = d.seed();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--bootstrap" -> bootstrap = bootstrap(v);
                case "--inventory" -> inventory = nonBlank(a, v);
                case "--port" -> port = (int) number(a, v, 0, 65535);
                case "--bind" -> bind = nonBlank(a, v);
                case "--api-key" -> apiKey = nonBlank(a, v);
                case "--bgp-topic" -> bgp = nonBlank(a, v);
                case "--telemetry-topic" -> telemetry = nonBlank(a, v);
                case "--kafka-timeout" -> kafkaTimeout = duration(a, v);
                case "--rate" -> rate = decimal(a, v);
                case "--burst" -> burst = decimal(a, v);
                case "--extra-prefixes" -> extra = (int) number(a, v, 0, Integer.MAX_VALUE);
                case "--update-size" -> updateSize = (int) number(a, v, 0, Integer.MAX_VALUE);
                case "--hold-time" -> hold = duration(a, v);
                case "--dpd-timeout" -> dpd = duration(a, v);
                case "--ike-setup" -> ike = duration(a, v);
                case "--bgp-setup" -> bgpSetup = duration(a, v);
                case "--scenario-duration" -> scenario = duration(a, v);
                case "--probe-interval" -> probe = duration(a, v);
                case "--telemetry-interval" -> tele = duration(a, v);
                case "--full-table-ipv4" -> ipv4 = (int) number(a, v, 0, Integer.MAX_VALUE);
                case "--full-table-ipv6" -> ipv6 = (int) number(a, v, 0, Integer.MAX_VALUE);
                case "--seed" -> seed = number(a, v, Long.MIN_VALUE, Long.MAX_VALUE);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        bootstrap(bootstrap);
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new UsageException("--bind " + bind + " is not an address of this machine");
        }
        if (!address.isLoopbackAddress() && apiKey == null) {
            throw new UsageException("--bind " + bind + " is not a loopback address: anyone who reaches it could break "
                    + "the network, so give an admin key with --api-key or MESHWATCH_SIM_API_KEY");
        }
        if (kafkaTimeout.isZero() || kafkaTimeout.isNegative()) {
            throw new UsageException("--kafka-timeout must be positive");
        }
        SimSettings settings;
        try {
            settings = new SimSettings(extra, rate, burst, updateSize, hold, dpd, ike, bgpSetup, scenario, probe, tele,
                    ipv4, ipv6, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("invalid meshwatch.sim settings: ", "invalid options: "));
        }
        return new StandaloneOptions(bootstrap, bgp, telemetry, inventory, address, port, apiKey, kafkaTimeout,
                settings);
    }

    private static String env(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static String nonBlank(String option, String v) throws UsageException {
        if (v.isBlank()) {
            throw new UsageException(option + " needs a value");
        }
        return v.trim();
    }

    /** {@code host:port[,host:port...]}. */
    private static String bootstrap(String v) throws UsageException {
        for (String server : v.split(",", -1)) {
            int colon = server.trim().lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(server.trim().substring(colon + 1));
                    ok = port > 0 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new UsageException("--bootstrap must be HOST:PORT[,HOST:PORT...], got '" + v + "'");
            }
        }
        return v.trim();
    }

    private static long number(String option, String v, long min, long max) throws UsageException {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new UsageException(option + " must be " + min + ".." + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, got '" + v + "'");
        }
    }

    private static double decimal(String option, String v) throws UsageException {
        try {
            double n = Double.parseDouble(v.trim());
            if (!Double.isFinite(n)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number, got '" + v + "'");
        }
    }

    private static Duration duration(String option, String v) throws UsageException {
        try {
            return ScenarioApi.duration(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }
}
