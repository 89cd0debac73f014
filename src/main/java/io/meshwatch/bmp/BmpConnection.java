package io.meshwatch.bmp;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.FeedStateEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One router's BMP connection: frames the stream, decodes, maps to canonical events and sends them
 * keyed by router id. Every method runs on the connection's Vert.x context (its event loop),
 * including the acknowledgement handling, which the Kafka thread hands back with
 * {@link Context#runOnContext}; no field is shared with another thread.
 *
 * <p>Backpressure: when {@code maxInFlight} events wait for Kafka, the socket is paused (TCP then
 * pushes back on the router) and resumed at half. A failed send closes the connection: the router
 * reconnects and sends its tables again, so nothing is dropped silently.
 */
final class BmpConnection {

    private static final Logger LOG = Logger.getLogger(BmpConnection.class);
    /** Per connection, the first this many refused messages are logged at WARN, the rest at DEBUG. */
    private static final int LOUD_ERRORS = 20;
    /** The {@code feed} of the {@code bgp.feed_state} events this collector produces. */
    static final String FEED = "bmp";

    private final NetSocket socket;
    private final Context context;
    private final BmpMetrics metrics;
    private final BmpProducer producer;
    private final EventCodec codec;
    private final Clock clock;
    private final int maxInFlight;
    private final String remote;
    private final BmpFramer framer;
    private final BmpDecoder decoder;
    private final BmpEventMapper mapper;
    private final BooleanSupplier stopping;
    private int inFlight;
    private boolean paused;
    private boolean closing;
    private boolean terminated;
    private boolean ended;
    /** The feed's {@code up} was produced (once the router id is known); its end is produced once. */
    private boolean feedUp;
    private boolean feedEndReported;
    private long messages;
    private int errors;
    private final BmpServer.Limits limits;
    private final Runnable released;
    private final long openedAt = System.nanoTime();
    /** When the message now held incomplete began to arrive (nanoTime), 0 when none is. */
    private long partialSince;
    private long timer = -1;

    BmpConnection(NetSocket socket, Context context, BmpMetrics metrics, BmpProducer producer, EventCodec codec,
                  Clock clock, String configuredId, Duration maxSkew, int maxMessageBytes, int maxInFlight,
                  BooleanSupplier stopping, BmpServer.Limits limits, Runnable released) {
        this.stopping = stopping;
        this.limits = limits;
        this.released = released;
        this.socket = socket;
        this.context = context;
        this.metrics = metrics;
        this.producer = producer;
        this.codec = codec;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.remote = socket.remoteAddress().hostAddress();
        this.framer = new BmpFramer(maxMessageBytes);
        this.decoder = new BmpDecoder((issue, message) -> {
            metrics.issue(issue);
            LOG.debugf("BMP %s: %s: %s", name(), issue, message);
        });
        this.mapper = new BmpEventMapper(remote, configuredId, maxSkew, metrics::quirk);
    }

    void start() {
        metrics.opened();
        LOG.infof("BMP connection from %s:%d", remote, socket.remoteAddress().port());
        socket.handler(this::data);
        socket.endHandler(v -> ended());
        socket.exceptionHandler(e -> LOG.warnf("BMP %s: connection error: %s", name(), e.toString()));
        socket.closeHandler(v -> {
            metrics.closed();
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
            released.run();
            closed();
        });
        long every = Math.max(50, Math.min(limits.firstMessageTimeout().toMillis(),
                limits.messageTimeout().toMillis()) / 4);
        timer = context.owner().setPeriodic(every, id -> checkLimits());
    }

    /**
     * Closes a connection that has sent no complete message within {@code firstMessageTimeout} of
     * opening (an idle client), or whose current message began more than {@code messageTimeout} ago
     * and is still incomplete (a slow sender), unless the collector paused reading it itself.
     */
    private void checkLimits() {
        if (closing) {
            return;
        }
        long now = System.nanoTime();
        String why = null;
        String reason = null;
        if (messages == 0 && errors == 0 && now - openedAt > limits.firstMessageTimeout().toNanos()) {
            why = "no complete BMP message within " + limits.firstMessageTimeout().toSeconds()
                    + " s of connecting (meshwatch.bmp.first-message-timeout)";
            reason = "idle";
        } else if (!paused && partialSince != 0 && now - partialSince > limits.messageTimeout().toNanos()) {
            why = "a message begun " + (now - partialSince) / 1_000_000_000L + " s ago is still incomplete at "
                    + framer.buffered() + " bytes (meshwatch.bmp.message-timeout)";
            reason = "slow";
        }
        if (why != null) {
            closing = true;
            metrics.refused(reason);
            LOG.warnf("BMP %s: closing the connection: %s", name(), why);
            socket.close();
        }
    }

    /** The router id once known, else the remote address. */
    private String name() {
        return mapper.router() != null ? mapper.router() + " (" + remote + ")" : remote;
    }

    private void data(Buffer b) {
        if (closing) {
            return;
        }
        byte[] bytes = b.getBytes();
        framer.append(bytes, 0, bytes.length);
        drain();
        notePartial();
    }

    /** Notes since when an incomplete message is held (what the slow-sender limit measures). */
    private void notePartial() {
        if (framer.buffered() == 0) {
            partialSince = 0;
        } else if (partialSince == 0) {
            partialSince = System.nanoTime();
        }
    }

    /** Handles held messages until none is complete, or the connection is paused or closing. */
    private void drain() {
        try {
            while (!paused && !closing && framer.next(this::message)) {
                // one message at a time, so that a pause takes effect at once
            }
        } catch (BmpFormatException e) {
            fatal(e.error(), e.getMessage());
        }
        if (ended && !paused) {
            finish();
        }
    }

    private void message(byte[] buf, int off, int len, long at) {
        if (closing) {
            return;
        }
        BmpMessage m;
        try {
            m = decoder.decode(buf, off, len, at);
        } catch (BmpFormatException e) {
            metrics.error(e.error());
            if (++errors <= LOUD_ERRORS) {
                LOG.warnf("BMP %s: %s message of %d bytes at byte %d skipped: %s", name(), e.error().label(), len, at,
                        e.getMessage());
            } else {
                LOG.debugf("BMP %s: %s at byte %d: %s", name(), e.error().label(), at, e.getMessage());
            }
            return;
        }
        messages++;
        metrics.message(m);
        if (m instanceof BmpMessage.Termination) {
            terminated = true;
        }
        Instant arrival = clock.instant();
        mapper.map(m, arrival, this::emit);
        if (!feedUp && mapper.router() != null) {
            feedUp = true;
            emit(new FeedStateEvent(mapper.router(), arrival, FEED, FeedStateEvent.UP,
                    "BMP connection from " + remote));
        }
        if (m instanceof BmpMessage.Termination t && !feedEndReported) {
            feedEndReported = true;
            emit(new FeedStateEvent(mapper.router(), arrival, FEED, FeedStateEvent.ENDED,
                    "BMP Termination (reason " + t.reason() + ")"));
        }
    }

    /**
     * The socket closed (after its end was drained, or at once on a reset or a keep-alive timeout).
     * Without a Termination the router's feed is lost: produced as {@code bgp.feed_state lost}, after
     * every event of the messages already read, unless the collector itself is stopping (the router
     * then reconnects to another instance or to this one restarted, and says {@code up}).
     */
    private void closed() {
        if (ended && paused) {
            return; // finish() reports it once the held messages are drained
        }
        reportLost();
    }

    private void reportLost() {
        if (feedEndReported || !feedUp || stopping.getAsBoolean()) {
            return;
        }
        feedEndReported = true;
        emit(new FeedStateEvent(mapper.router(), clock.instant(), FEED, FeedStateEvent.LOST,
                "BMP connection from " + remote + " ended without a Termination message after " + messages
                        + " messages"));
    }

    private void emit(CanonicalEvent e) {
        byte[] value = codec.encode(e, "bmp");
        inFlight++;
        metrics.event();
        producer.send(e.router(), value, ex -> context.runOnContext(v -> acknowledged(ex)));
        if (inFlight >= maxInFlight && !paused) {
            paused = true;
            metrics.paused();
            socket.pause();
        }
    }

    private void acknowledged(Exception ex) {
        inFlight--;
        if (ex != null) {
            fatal(BmpError.KAFKA, "Kafka did not take an event (" + ex + "); closing so that the router resends");
        } else if (paused && !closing && inFlight <= maxInFlight / 2) {
            paused = false;
            socket.resume();
            drain();
            partialSince = 0; // the time the collector held it does not count against the sender
            notePartial();
        }
    }

    private void fatal(BmpError error, String message) {
        if (closing) {
            return;
        }
        closing = true;
        metrics.error(error);
        LOG.errorf("BMP %s: %s at byte %d, closing the connection: %s", name(), error.label(), framer.offset(),
                message);
        socket.close();
    }

    private void ended() {
        ended = true;
        if (!paused) {
            drain();
        }
    }

    private void finish() {
        if (!ended) {
            return;
        }
        ended = false;
        if (framer.buffered() > 0 && !closing) {
            metrics.error(BmpError.TRUNCATED);
            LOG.warnf("BMP %s: connection ended inside a message at byte %d (%d bytes)", name(), framer.offset(),
                    framer.buffered());
        }
        if (!terminated) {
            metrics.quirk(BmpQuirk.NO_TERMINATION);
        }
        LOG.infof("BMP %s: connection ended after %d messages%s", name(), messages,
                terminated ? "" : " (no Termination message)");
        reportLost();
    }
}
