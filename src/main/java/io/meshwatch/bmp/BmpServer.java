package io.meshwatch.bmp;

import io.meshwatch.event.EventCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The TCP side of the collector, without CDI: accepts BMP connections within its {@link Limits},
 * each handled by a {@link BmpConnection} on the event loop Vert.x assigned to it. Its memory is
 * bounded by {@code maxConnections x maxMessageBytes} (each connection holds at most one incomplete
 * message) plus the events waiting for Kafka ({@code maxInFlight} per connection).
 */
public final class BmpServer {

    /**
     * @param routerIds      router id per source address (others: sysName, else address)
     * @param maxClockSkew   see {@link BmpEventMapper}; zero keeps every non-zero router timestamp
     * @param maxInFlight    unacknowledged events per connection before it is paused
     */
    public record Settings(String host, int port, Map<String, String> routerIds, Duration maxClockSkew,
                           int maxMessageBytes, int maxInFlight, Duration keepaliveIdle, Duration keepaliveInterval,
                           int keepaliveCount, Limits limits) {

        /** Without keep-alive tuning (the operating system's defaults), as the offline tests use. */
        public Settings(String host, int port, Map<String, String> routerIds, Duration maxClockSkew,
                        int maxMessageBytes, int maxInFlight) {
            this(host, port, routerIds, maxClockSkew, maxMessageBytes, maxInFlight, null, null, 0, Limits.DEFAULTS);
        }

        /** With the default {@link Limits}. */
        public Settings(String host, int port, Map<String, String> routerIds, Duration maxClockSkew,
                        int maxMessageBytes, int maxInFlight, Duration keepaliveIdle, Duration keepaliveInterval,
                        int keepaliveCount) {
            this(host, port, routerIds, maxClockSkew, maxMessageBytes, maxInFlight, keepaliveIdle, keepaliveInterval,
                    keepaliveCount, Limits.DEFAULTS);
        }

        /**
         * The keep-alive settings' problem in one line, or null when they are usable: whole seconds of
         * at least 1, and a count of at least 1 (Linux takes nothing finer).
         */
        public static String keepaliveProblem(Duration idle, Duration interval, int count) {
            if (idle.toMillis() < 1000 || idle.toMillis() % 1000 != 0) {
                return "meshwatch.bmp.keepalive-idle is " + idle + "; it must be whole seconds, at least 1s";
            }
            if (interval.toMillis() < 1000 || interval.toMillis() % 1000 != 0) {
                return "meshwatch.bmp.keepalive-interval is " + interval + "; it must be whole seconds, at least 1s";
            }
            if (count < 1) {
                return "meshwatch.bmp.keepalive-count is " + count + "; it must be at least 1";
            }
            return null;
        }
    }

    /**
     * What the collector tolerates of a connection (docs/inputs.md, "Limits").
     *
     * @param maxConnections       open connections at most; one more is closed at once
     * @param maxPerAddress        open connections from one source address at most (a router keeps one;
     *                             a restarting one briefly two)
     * @param firstMessageTimeout  a connection that has sent no complete message this long after it
     *                             opened is closed (an idle or silent client)
     * @param messageTimeout       a message begun this long ago and still incomplete closes the
     *                             connection (a slow sender), unless the collector itself paused
     *                             reading it (backpressure)
     */
    public record Limits(int maxConnections, int maxPerAddress, Duration firstMessageTimeout, Duration messageTimeout) {

        public static final Limits DEFAULTS = new Limits(256, 4, Duration.ofSeconds(30), Duration.ofSeconds(60));

        /** The first problem of these limits in one line, or null when they are usable. */
        public String problem() {
            if (maxConnections < 1) {
                return "meshwatch.bmp.max-connections is " + maxConnections + "; it must be at least 1";
            }
            if (maxPerAddress < 1) {
                return "meshwatch.bmp.max-connections-per-address is " + maxPerAddress + "; it must be at least 1";
            }
            if (firstMessageTimeout.toMillis() < 100) {
                return "meshwatch.bmp.first-message-timeout is " + firstMessageTimeout + "; it must be at least 100ms";
            }
            if (messageTimeout.toMillis() < 100) {
                return "meshwatch.bmp.message-timeout is " + messageTimeout + "; it must be at least 100ms";
            }
            return null;
        }
    }

    private static final Logger LOG = Logger.getLogger(BmpServer.class);

    private final Vertx vertx;
    private final Settings settings;
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> perAddress =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    private final BmpProducer producer;
    private final EventCodec codec;
    private final Clock clock;
    private final BmpMetrics metrics;
    private NetServer server;
    /** Set when the collector closes: connections it closes itself report no lost feed. */
    private volatile boolean stopping;

    BmpServer(Vertx vertx, Settings settings, BmpProducer producer, EventCodec codec, Clock clock,
              BmpMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.producer = producer;
        this.codec = codec;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Starts listening; completes with the port (the real one when {@code port} is 0). */
    Future<Integer> listen() {
        NetServerOptions options = new NetServerOptions().setHost(settings.host()).setPort(settings.port())
                .setTcpNoDelay(true).setTcpKeepAlive(true);
        if (settings.keepaliveIdle() != null) {
            options.setTcpKeepAliveIdleSeconds((int) settings.keepaliveIdle().toSeconds())
                    .setTcpKeepAliveIntervalSeconds((int) settings.keepaliveInterval().toSeconds())
                    .setTcpKeepAliveCount(settings.keepaliveCount());
        }
        server = vertx.createNetServer(options);
        Limits limits = settings.limits();
        server.connectHandler(socket -> {
            String address = socket.remoteAddress().hostAddress();
            String refused = null;
            if (open.incrementAndGet() > limits.maxConnections()) {
                refused = "total";
            } else if (perAddress.merge(address, 1, Integer::sum) > limits.maxPerAddress()) {
                perAddress.merge(address, -1, (a, b) -> a + b <= 0 ? null : a + b);
                refused = "per_address";
            }
            if (refused != null) {
                open.decrementAndGet();
                metrics.refused(refused);
                if (refusals.incrementAndGet() % 100 == 1) {
                    LOG.warnf("BMP connection from %s refused: %s (%d refused so far; meshwatch.bmp.max-connections%s)",
                            address, refused.equals("total") ? limits.maxConnections() + " connections are open"
                                    : limits.maxPerAddress() + " connections from that address are open",
                            refusals.get(), refused.equals("total") ? "" : "-per-address");
                }
                socket.close();
                return;
            }
            if (settings.keepaliveIdle() != null) {
                KeepAlive.apply(socket, (int) settings.keepaliveIdle().toSeconds(),
                        (int) settings.keepaliveInterval().toSeconds(), settings.keepaliveCount());
            }
            new BmpConnection(socket, Vertx.currentContext(), metrics, producer, codec,
                clock, settings.routerIds().get(address), settings.maxClockSkew(),
                settings.maxMessageBytes(), settings.maxInFlight(), () -> stopping, limits, () -> {
                    open.decrementAndGet();
                    perAddress.merge(address, -1, (a, b) -> a + b <= 0 ? null : a + b);
                }).start();
        });
        return server.listen().map(NetServer::actualPort);
    }

    /** Stops accepting and closes every connection. */
    Future<Void> close() {
        stopping = true;
        return server == null ? Future.succeededFuture() : server.close();
    }
}
