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
                           int maxMessageBytes, int maxInFlight) {
    }

    private final Vertx vertx;
    private final Settings settings;
    private final BmpProducer producer;
    private final EventCodec codec;
    private final Clock clock;
    private final BmpMetrics metrics;
    private NetServer server;

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
        server = vertx.createNetServer(new NetServerOptions().setHost(settings.host()).setPort(settings.port())
                .setTcpNoDelay(true).setTcpKeepAlive(true));
        server.connectHandler(socket -> new BmpConnection(socket, Vertx.currentContext(), metrics, producer, codec,
                clock, settings.routerIds().get(socket.remoteAddress().hostAddress()), settings.maxClockSkew(),
                settings.maxMessageBytes(), settings.maxInFlight()).start());
        return server.listen().map(NetServer::actualPort);
    }

    /** Stops accepting and closes every connection. */
    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
