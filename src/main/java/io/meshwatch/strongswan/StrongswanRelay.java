package io.meshwatch.strongswan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.mrt.MrtReplay;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Follows strongSwan's vici event stream and produces {@code ipsec.tunnel_state} ({@code signal: ike})
 * to the telemetry topic, keyed by router: {@code StrongswanRelay --router ID [--socket PATH]
 * [--tunnel NAME=TUNNEL]... [--bootstrap host:port] [--telemetry-topic T]}. At each connection it
 * registers for {@link ViciMapper#EVENTS}, then reports the state of every SA ({@code list-sas}), then
 * relays events as they come ({@link ViciMapper} says how each maps). When charon is away or restarts,
 * it connects again (1 s, doubling to 10 s) and reports the state afresh. Exit codes: 2 bad arguments;
 * otherwise it runs until killed.
 *
 * <p>Threading: {@link #run()} owns the vici connection and the mapper on its one thread; {@link #stop()}
 * may be called from any thread.
 */
public final class StrongswanRelay implements Runnable {

    static final String USAGE = "usage: strongswan-relay --router ID [--socket /var/run/charon.vici] "
            + "[--tunnel IKE_OR_CHILD_NAME=TUNNEL_ID]... [--bootstrap host:port] [--telemetry-topic T]";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final Path socket;
    private final ViciMapper mapper;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Clock clock;
    private final PrintStream log;
    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;
    private volatile ViciClient client;

    public StrongswanRelay(Path socket, ViciMapper mapper, Producer<String, byte[]> producer, String topic, Clock clock,
                           PrintStream log) {
        this.socket = socket;
        this.mapper = mapper;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        this.log = log;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command; returns the exit code (only on bad arguments: otherwise it runs until killed). */
    static int run(String[] args, PrintStream err) {
        String router = null;
        String bootstrap = "localhost:9092";
        String telemetry = "meshwatch.telemetry.v1";
        Path socket = Path.of("/var/run/charon.vici");
        Map<String, String> tunnels = new HashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[++i];
                switch (args[i - 1]) {
                    case "--router" -> router = v;
                    case "--socket" -> socket = Path.of(v);
                    case "--bootstrap" -> bootstrap = v;
                    case "--telemetry-topic" -> telemetry = v;
                    case "--tunnel" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0 || eq == v.length() - 1) {
                            throw new IllegalArgumentException("--tunnel takes IKE_OR_CHILD_NAME=TUNNEL_ID, got " + v);
                        }
                        tunnels.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (router == null || router.isBlank()) {
                throw new IllegalArgumentException("--router is required (the router id its events are keyed by)");
            }
        } catch (IllegalArgumentException e) {
            err.println("strongswan-relay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Properties p = MrtReplay.producerConfig(bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-strongswan-relay");
        try (Producer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            StrongswanRelay relay = new StrongswanRelay(socket, new ViciMapper(router, tunnels), producer, telemetry,
                    Clock.systemUTC(), err);
            Runtime.getRuntime().addShutdownHook(new Thread(relay::stop, "strongswan-relay-stop"));
            relay.run();
        }
        return 0;
    }

    @Override
    public void run() {
        Duration retry = FIRST_RETRY;
        while (!stopped) {
            try (ViciClient c = ViciClient.connect(socket)) {
                client = c;
                for (String e : ViciMapper.EVENTS) {
                    c.register(e);
                }
                c.register("list-sa");
                c.command("list-sas", Map.of(), p -> produce(mapper.map("list-sa", p.message(), clock.instant())));
                log.printf("strongswan-relay: following %s%n", socket);
                retry = FIRST_RETRY;
                while (!stopped) {
                    Vici.Packet p = c.read();
                    if (p.type() == Vici.EVENT) {
                        produce(mapper.map(p.name(), p.message(), clock.instant()));
                    }
                }
            } catch (IOException | ViciFormatException e) {
                if (stopped) {
                    break;
                }
                log.printf("strongswan-relay: %s: %s; connecting again in %d s%n", socket, e.getMessage(),
                        retry.toSeconds());
            } finally {
                client = null;
            }
            sleep(retry);
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    private void produce(List<TunnelStateEvent> events) {
        for (TunnelStateEvent e : events) {
            producer.send(new ProducerRecord<>(topic, e.router(), codec.encode(e, "strongswan")), (md, ex) -> {
                if (ex != null) {
                    failed.incrementAndGet();
                    log.printf("strongswan-relay: Kafka did not take %s %s: %s%n", e.tunnel(), e.state(), ex);
                } else {
                    produced.incrementAndGet();
                }
            });
        }
        if (!events.isEmpty()) {
            producer.flush(); // a handful an hour: each goes out at once, in order
        }
    }

    /** Events Kafka acknowledged so far. */
    public long produced() {
        return produced.get();
    }

    /** Ends {@link #run()}: closes the connection, which ends a blocked read. */
    public void stop() {
        stopped = true;
        ViciClient c = client;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
