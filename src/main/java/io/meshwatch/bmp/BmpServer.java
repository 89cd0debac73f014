package io.meshwatch.bmp;

import io.meshwatch.event.EventCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The TCP side of the collector, without CDI: accepts any number of BMP connections, each handled
 * by a {@link BmpConnection} on the event loop Vert.x assigned to it.
 */
public final class BmpServer {

    /**
     * @param routerIds      router id per source address (others: sysName, else address)
     * @param maxClockSkew   see {@link BmpEventMapper}; zero keeps every non-zero router timestamp
     * @param maxInFlight    unacknowledged events per connection before it is paused
     */
    public record Settings(String host, int port, Map<String, String> routerIds, Duration maxClockSkew,
                           int maxMessageBytes, int maxInFlight, Duration keepaliveIdle, Duration keepaliveInterval,
                           int keepaliveCount) {

        /** Without keep-alive tuning (the operating system's defaults), as the offline tests use. */
        public Settings(String host, int port, Map<String, String> routerIds, Duration maxClockSkew,
                        int maxMessageBytes, int maxInFlight) {
            this(host, port, routerIds, maxClockSkew, maxMessageBytes, maxInFlight, null, null, 0);
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

    private final Vertx vertx;
    private final Settings settings;
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
        server.connectHandler(socket -> {
            if (settings.keepaliveIdle() != null) {
                KeepAlive.apply(socket, (int) settings.keepaliveIdle().toSeconds(),
                        (int) settings.keepaliveInterval().toSeconds(), settings.keepaliveCount());
            }
            new BmpConnection(socket, Vertx.currentContext(), metrics, producer, codec,
                clock, settings.routerIds().get(socket.remoteAddress().hostAddress()), settings.maxClockSkew(),
                settings.maxMessageBytes(), settings.maxInFlight(), () -> stopping).start();
        });
        return server.listen().map(NetServer::actualPort);
    }

    /** Stops accepting and closes every connection. */
    Future<Void> close() {
        stopping = true;
        return server == null ? Future.succeededFuture() : server.close();
    }
}
