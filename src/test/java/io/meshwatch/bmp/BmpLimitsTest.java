package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collector's limits on its TCP port, against real sockets: connections per source address and
 * in all, a client that never sends a complete message, a sender that starts a message and stalls,
 * and a header that claims a huge length. Each closed connection is counted by its reason.
 */
class BmpLimitsTest {

    static final BmpServer.Limits LIMITS = new BmpServer.Limits(3, 2, Duration.ofMillis(600), Duration.ofMillis(600));

    private Vertx vertx;
    private BmpServer server;
    private BmpProducer producer;
    private SimpleMeterRegistry registry;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        String topic = "bmp-limits-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 1);
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        producer = new BmpProducer(Map.of("bootstrap.servers", KafkaBroker.bootstrap()), topic);
        server = new BmpServer(vertx, new BmpServer.Settings("0.0.0.0", 0, Map.of(), Duration.ZERO, 4096, 100, null,
                null, 0, LIMITS), producer, new EventCodec(new ObjectMapper()), Clock.systemUTC(),
                new BmpMetrics(registry));
        port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(from), 0);
        sockets.add(s);
        return s;
    }

    /** A router that says hello: an Initiation message, so that it is not idle. */
    private Socket router(String from) throws IOException {
        Socket s = connect(from);
        s.getOutputStream().write(BmpWriter.initiation("test", "r-" + from));
        s.getOutputStream().flush();
        return s;
    }

    /** True when the collector closed the connection within {@code wait}; false when it is still open then. */
    private static boolean closedWithin(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private double refused(String reason) {
        return registry.get("meshwatch.bmp.connections.refused").tag("reason", reason).counter().count();
    }

    @Test
    void oneAddressMayHoldTwoConnectionsAndTheThirdIsClosedAtOnce() throws Exception {
        Socket a = router("127.0.0.1");
        Socket b = router("127.0.0.1");
        Socket c = router("127.0.0.1");
        assertTrue(closedWithin(c, Duration.ofSeconds(5)), "the third from 127.0.0.1");
        assertTrue(!closedWithin(a, Duration.ofMillis(300)) && !closedWithin(b, Duration.ofMillis(300)));
        assertEquals(1.0, refused("per_address"));
        a.close();
        Thread.sleep(300); // the collector sees the close
        Socket d = router("127.0.0.1");
        assertTrue(!closedWithin(d, Duration.ofMillis(500)), "a slot freed by a close is taken again");
    }

    @Test
    void beyondTheTotalEveryNewConnectionIsClosed() throws Exception {
        Socket a = router("127.0.0.1");
        Socket b = router("127.0.0.2");
        Socket c = router("127.0.0.3");
        Socket d = router("127.0.0.4");
        assertTrue(closedWithin(d, Duration.ofSeconds(5)), "the fourth connection of at most three");
        for (Socket s : List.of(a, b, c)) {
            assertTrue(!closedWithin(s, Duration.ofMillis(200)));
        }
        assertEquals(1.0, refused("total"));
    }

    @Test
    void aClientThatSendsNoCompleteMessageIsClosedAfterTheFirstMessageTimeout() throws Exception {
        Socket idle = connect("127.0.0.5");
        Socket half = connect("127.0.0.6");
        byte[] init = BmpWriter.initiation("test", "r-half");
        half.getOutputStream().write(Arrays.copyOf(init, init.length - 3)); // all but its last three bytes
        half.getOutputStream().flush();
        Socket fine = router("127.0.0.7");
        assertTrue(closedWithin(idle, Duration.ofSeconds(5)), "silent");
        assertTrue(closedWithin(half, Duration.ofSeconds(5)), "never completed its first message");
        assertTrue(!closedWithin(fine, Duration.ofMillis(1500)), "a router that said hello may then be quiet");
        assertTrue(refused("idle") + refused("slow") >= 2 && refused("idle") >= 1, "idle " + refused("idle")
                + ", slow " + refused("slow"));
    }

    @Test
    void aMessageThatStallsHalfWayClosesItsConnectionAfterTheMessageTimeout() throws Exception {
        Socket slow = router("127.0.0.8");
        Thread.sleep(200);
        byte[] termination = BmpWriter.termination(0);
        slow.getOutputStream().write(Arrays.copyOf(termination, 8)); // a header and two bytes of ten
        slow.getOutputStream().flush();
        assertTrue(closedWithin(slow, Duration.ofSeconds(5)));
        assertEquals(1.0, refused("slow"));
        assertEquals(0.0, refused("idle"), "it had sent a whole message");
    }

    @Test
    void limitsThatCannotWorkAreNamedInOneLine() {
        assertEquals(null, BmpServer.Limits.DEFAULTS.problem());
        assertEquals("meshwatch.bmp.max-connections is 0; it must be at least 1",
                new BmpServer.Limits(0, 4, Duration.ofSeconds(30), Duration.ofSeconds(60)).problem());
        assertEquals("meshwatch.bmp.max-connections-per-address is -1; it must be at least 1",
                new BmpServer.Limits(256, -1, Duration.ofSeconds(30), Duration.ofSeconds(60)).problem());
        assertEquals("meshwatch.bmp.first-message-timeout is PT0.05S; it must be at least 100ms",
                new BmpServer.Limits(256, 4, Duration.ofMillis(50), Duration.ofSeconds(60)).problem());
        assertEquals("meshwatch.bmp.message-timeout is PT0S; it must be at least 100ms",
                new BmpServer.Limits(256, 4, Duration.ofSeconds(30), Duration.ZERO).problem());
    }

    @Test
    void aHeaderClaimingMoreThanTheLargestMessageClosesTheConnectionWithoutBufferingIt() throws Exception {
        Socket liar = router("127.0.0.9");
        byte[] header = {3, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}; // version 3, 2 GiB, route monitoring
        liar.getOutputStream().write(header);
        liar.getOutputStream().flush();
        assertTrue(closedWithin(liar, Duration.ofSeconds(5)));
        assertArrayEquals(new double[] {0, 0}, new double[] {refused("idle"), refused("slow")},
                "refused as a malformed header, not by a timeout");
    }
}
