package io.meshwatch.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * {@code bin/sim run}: the simulator alone, as a producer, with no Quarkus and nothing consumed. It
 * plays the inventory's network into Kafka through a {@link KafkaSimSink} (the service's settings,
 * Kafka SASL/TLS from the service's environment variables) and serves the scenario API
 * ({@link ScenarioApi}: the service's requests, answers and errors) on its own port with the JDK's
 * HTTP server, so {@code bin/sim SCENARIO --url http://127.0.0.1:8090} works against it unchanged. The
 * API asks for no key on a loopback address; on any other it needs one ({@code Authorization: Bearer}).
 *
 * <p>Prints one line at start, progress every {@value #PROGRESS_SECONDS} s and a summary when it
 * stops; Ctrl-C or SIGTERM flushes what the producer holds and exits 0. Exit codes: 1 Kafka
 * unreachable (within {@code --kafka-timeout}) or the port taken, 2 bad arguments or inventory.
 *
 * <p>Threading: the simulator's own thread ({@link SimRunner}); two HTTP threads that plan and queue
 * scenarios; one progress thread that reads counters; the caller's thread waits for the stop signal.
 */
public final class StandaloneSimulator implements AutoCloseable {

    static final String THREAD = "meshwatch-simulator";
    static final int PROGRESS_SECONDS = 5;
    private static final String NAME = "sim run";
    private static final int MAX_BODY = 1 << 20;

    /** The service's Kafka security settings, by the environment variable that sets them (application.properties). */
    static final Map<String, String> KAFKA_SECURITY_ENV = kafkaSecurityEnv();
    private static final ObjectMapper JSON = json();

    /** A start that did not happen; its message has been printed. */
    public static final class Exit extends Exception {
        private final int code;

        Exit(int code) {
            super("exit " + code, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final StandaloneOptions options;
    private final SimRunner runner;
    private final HttpServer server;
    private final ExecutorService http;
    private final ScheduledExecutorService progress;
    private final PrintStream out;
    private final String url;
    private final long started = System.nanoTime();
    private boolean closed;
    private long lastEvents;
    private long lastAt = started;

    private StandaloneSimulator(StandaloneOptions options, SimRunner runner, HttpServer server, ExecutorService http,
                                PrintStream out) {
        this.options = options;
        this.runner = runner;
        this.server = server;
        this.http = http;
        this.out = out;
        String host = options.bind().getHostAddress();
        this.url = "http://" + (options.bind() instanceof Inet6Address ? "[" + host + "]" : host) + ":"
                + server.getAddress().getPort();
        this.progress = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "meshwatch-sim-progress"));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * The command: starts, runs until SIGTERM or Ctrl-C, stops; returns the exit code. Messages go to
     * {@code out}, problems to {@code err}.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        StandaloneSimulator sim;
        try {
            sim = start(args, env, out, err);
        } catch (Exit e) {
            return e.code();
        }
        CountDownLatch stop = new CountDownLatch(1);
        if (!onStopSignal(stop::countDown)) {
            err.println(NAME + ": cannot take over SIGTERM and SIGINT; they still flush, but the exit code is theirs");
        }
        // anything else that ends the JVM (SIGHUP, or the signals above when they could not be taken) still flushes
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "meshwatch-sim-stop"));
        sim.progress.scheduleAtFixedRate(sim::progress, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sim.close();
        return 0;
    }

    /**
     * Parses, loads the inventory, connects to Kafka, binds the API and starts the simulator; prints
     * the start line. {@link #close} stops it.
     *
     * @throws Exit after printing why: 0 for {@code --help}, 2 bad arguments or inventory, 1 Kafka
     *              unreachable or the port taken
     */
    public static StandaloneSimulator start(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exit {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(StandaloneOptions.USAGE);
            throw new Exit(0);
        }
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(args, env);
        } catch (StandaloneOptions.UsageException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println(StandaloneOptions.USAGE);
            throw new Exit(2);
        }
        SimNetwork network;
        try {
            network = SimRunner.network(options.inventory(), options.settings());
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + oneLine(e.getMessage()));
            throw new Exit(2);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 0);
        } catch (IOException e) {
            err.println(NAME + ": cannot listen on " + options.bind().getHostAddress() + ":" + options.port() + " for "
                    + "the scenario API: " + oneLine(e.getMessage()) + " (choose another with --port)");
            throw new Exit(1);
        }
        KafkaSimSink sink;
        try {
            sink = new KafkaSimSink(options.bootstrap(), options.bgpTopic(), options.telemetryTopic(),
                    kafkaOverrides(env, options));
        } catch (KafkaException e) {
            server.stop(0);
            err.println(NAME + ": cannot make a Kafka producer for " + options.bootstrap() + ": " + cause(e));
            throw new Exit(1);
        }
        try {
            sink.checkTopics();
        } catch (KafkaException e) {
            sink.close();
            server.stop(0);
            String why = listening(options.bootstrap())
                    ? "something listens there: do the topics exist, are SASL/TLS right (KAFKA_SECURITY_PROTOCOL, "
                            + "KAFKA_SASL_*, KAFKA_SSL_*)?"
                    : "nothing accepts connections there: is Kafka running, is --bootstrap right?";
            err.println(NAME + ": Kafka at " + options.bootstrap() + " did not answer for topics " + options.bgpTopic()
                    + " and " + options.telemetryTopic() + " within " + TimelineText.fmt(options.kafkaTimeout()) + " ("
                    + cause(e) + "); " + why);
            throw new Exit(1);
        }
        SimRunner runner = new SimRunner(options.inventory(), network, options.settings(), sink, Clock.systemUTC(),
                new ScenarioRuns(), log(out, err));
        ExecutorService http = Executors.newFixedThreadPool(2, r -> daemon(r, "meshwatch-sim-http"));
        StandaloneSimulator sim = new StandaloneSimulator(options, runner, server, http, out);
        ScenarioApi api = new ScenarioApi(runner, json());
        server.createContext("/", exchange -> sim.serve(exchange, api));
        server.setExecutor(http);
        runner.start(THREAD);
        server.start();
        SimSettings s = options.settings();
        out.printf("%s: playing %s from %s into Kafka at %s (BGP to %s, telemetry to %s); scenario API at %s%s (%s); "
                        + "hold time %s, dead-peer detection %s, churn %s flaps/s; Ctrl-C stops%n", NAME, runner.size(),
                options.inventory(), options.bootstrap(), options.bgpTopic(), options.telemetryTopic(), sim.url,
                ScenarioApi.BASE, options.apiKey() == null ? "no key on loopback" : "Authorization: Bearer <api key>",
                TimelineText.fmt(s.holdTime()), TimelineText.fmt(s.dpdTimeout()), number(s.churnPerSecond()));
        return sim;
    }

    /** The API's base address, such as {@code http://127.0.0.1:8090}. */
    public String url() {
        return url;
    }

    /** The port the API listens on (the one chosen when {@code --port 0}). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The running simulator (for its counters). */
    public SimRunner runner() {
        return runner;
    }

    /** Stops serving, stops the simulator (which flushes and closes its producer) and prints a summary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        progress.shutdownNow();
        server.stop(0);
        http.shutdownNow();
        boolean ended = runner.stop(Duration.ofSeconds(10));
        Simulator s = runner.simulator();
        KafkaSimSink sink = runner.sink();
        out.printf("%s: stopped after %.0f s: %d events sent (%d BGP, %d telemetry), %d acknowledged, %d failed%s%n",
                NAME, (System.nanoTime() - started) / 1e9, s.bgpEvents() + s.telemetryEvents(), s.bgpEvents(),
                s.telemetryEvents(), sink.acked(), sink.failed(), ended ? "" : " (the simulator did not stop in 10 s)");
        out.flush();
    }

    /** One progress line: events sent and their rate since the last line, acknowledgements and failures. */
    private void progress() {
        Simulator s = runner.simulator();
        KafkaSimSink sink = runner.sink();
        long events = s.bgpEvents() + s.telemetryEvents();
        long now = System.nanoTime();
        double rate = (events - lastEvents) / Math.max(1e-9, (now - lastAt) / 1e9);
        lastEvents = events;
        lastAt = now;
        Exception error = sink.failed() > 0 ? sink.lastError() : null;
        out.printf("%s: %d events sent (%d BGP, %d telemetry, %d prefixes), %.0f events/s; %d acknowledged, %d failed%s;"
                        + " scenario runs: %d%n", NAME, events, s.bgpEvents(), s.telemetryEvents(), s.prefixes(), rate,
                sink.acked(), sink.failed(), error == null ? "" : " (last: " + oneLine(String.valueOf(error)) + ")",
                runner.runs().all().size());
    }

    /** Serves one request of the scenario API. */
    private void serve(HttpExchange exchange, ScenarioApi api) throws IOException {
        try (exchange) {
            int status;
            Object body;
            try {
                String refusal = authorise(exchange.getRequestHeaders().getFirst("Authorization"));
                if (refusal != null) {
                    throw new ScenarioApi.Refused(401, "unauthorized", refusal);
                }
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                List<String> rest = rest(path);
                if (rest == null || rest.size() > 2 || (rest.size() == 2 && !rest.get(0).equals("runs"))) {
                    throw new ScenarioApi.Refused(404, "not_found", "nothing at " + path + "; the simulator serves "
                            + ScenarioApi.BASE + ", " + ScenarioApi.BASE + "/{name} and " + ScenarioApi.BASE
                            + "/runs/{id}");
                }
                String allowed = rest.isEmpty() || rest.size() == 2 ? "GET" : "POST";
                if (!allowed.equals(method)) {
                    exchange.getResponseHeaders().set("Allow", allowed);
                    throw new ScenarioApi.Refused(405, "method_not_allowed", method + " " + path + " is not served; "
                            + "use " + allowed);
                }
                if (rest.isEmpty()) {
                    status = 200;
                    body = api.list();
                } else if (rest.size() == 2) {
                    status = 200;
                    body = api.run(rest.get(1));
                } else {
                    ScenarioApi.Accepted accepted = api.start(rest.get(0), body(exchange), query(exchange));
                    String host = exchange.getRequestHeaders().getFirst("Host");
                    exchange.getResponseHeaders().set("Location", (host == null ? url : "http://" + host)
                            + accepted.status());
                    status = 202;
                    body = accepted;
                }
            } catch (ScenarioApi.Refused e) {
                status = e.error().status();
                body = e.error();
            } catch (RuntimeException e) {
                status = 500;
                body = new ScenarioApi.ErrorBody(500, "internal_error", "the simulator could not answer: " + e);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Null when the request may go on, else why not. */
    private String authorise(String header) {
        String key = options.apiKey();
        if (key == null) {
            return null;
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return "send the simulator's API key: Authorization: Bearer <key> (--api-key or MESHWATCH_SIM_API_KEY of "
                    + "bin/sim run)";
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, key.getBytes(StandardCharsets.UTF_8)) ? null
                : "the API key is not the simulator's; ask the operator who started it";
    }

    /** The path's segments after the API's base ({@code []}, {@code [name]}, {@code [runs, id]}); null outside it. */
    private static List<String> rest(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals(ScenarioApi.BASE)) {
            return List.of();
        }
        if (!p.startsWith(ScenarioApi.BASE + "/")) {
            return null;
        }
        List<String> out = List.of(p.substring(ScenarioApi.BASE.length() + 1).split("/", -1));
        return out.stream().anyMatch(String::isEmpty) ? null : out;
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ScenarioApi.Refused(413, "too_large", "the body is over " + MAX_BODY + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, List<String>> query(HttpExchange exchange) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /**
     * A mapper that writes what the service's does (Quarkus's defaults: java.time as ISO text, durations
     * as seconds, unknown properties ignored); {@code SimulatorApiTest} holds the two equal.
     */
    static ObjectMapper json() {
        ObjectMapper m = new ObjectMapper();
        m.registerModule(new Jdk8Module());
        m.registerModule(new JavaTimeModule());
        m.registerModule(new ParameterNamesModule());
        m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return m;
    }

    /** The producer's settings on top of {@link KafkaSimSink}'s: the service's security settings and the wait. */
    static Map<String, Object> kafkaOverrides(Map<String, String> env, StandaloneOptions options) {
        Map<String, Object> out = new LinkedHashMap<>();
        KAFKA_SECURITY_ENV.forEach((variable, property) -> {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                out.put(property, v);
            }
        });
        out.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, options.kafkaTimeout().toMillis()));
        return out;
    }

    private static Map<String, String> kafkaSecurityEnv() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String property : List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.keystore.type",
                "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password")) {
            m.put("KAFKA_" + property.replace('.', '_').toUpperCase(java.util.Locale.ROOT), property);
        }
        return Map.copyOf(m);
    }

    /** Runs {@code stop} on SIGTERM and SIGINT instead of the JVM's exit, so the command can end with 0. */
    private static boolean onStopSignal(Runnable stop) {
        try {
            for (String name : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.run());
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }

    private static SimRunner.Log log(PrintStream out, PrintStream err) {
        return new SimRunner.Log() {
            @Override
            public void info(String message) {
                out.println(NAME + ": " + message);
            }

            @Override
            public void warn(String message) {
                err.println(NAME + ": " + oneLine(message));
            }

            @Override
            public void error(String message, Throwable cause) {
                err.println(NAME + ": " + message + ": " + oneLine(String.valueOf(cause)));
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether any of the bootstrap servers accepts a TCP connection (within 2 s each). */
    private static boolean listening(String bootstrap) {
        for (String server : bootstrap.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(s.substring(0, colon).replaceAll("^\\[|\\]$", ""),
                        Integer.parseInt(s.substring(colon + 1))), 2000);
                return true;
            } catch (IOException | RuntimeException e) {
                // next
            }
        }
        return false;
    }

    /** The innermost message of a Kafka failure, on one line. */
    private static String cause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + c.getMessage() + ")";
        return oneLine(m);
    }

    static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
