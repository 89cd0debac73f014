package io.meshwatch.bmp;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.bmp.BmpWriter.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The collector inside the running service: a real TCP connection carries a real capture into the
 * real broker, and the routes come out of the API; malformed streams cost only their own
 * connection.
 */
@QuarkusTest
class BmpCollectorTest {

    private static final byte[] FRR = BmpCaptures.bytes("/bmp/lab/bmp-frr.bin");

    @Inject
    BmpCollector collector;

    @Inject
    MeterRegistry registry;

    private Socket connect() throws IOException {
        assertTrue(collector.port() > 0, "the collector listens");
        Socket s = new Socket("127.0.0.1", collector.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private void stream(byte[]... parts) throws IOException {
        try (Socket s = connect(); OutputStream out = s.getOutputStream()) {
            for (byte[] p : parts) {
                out.write(p);
            }
            out.flush();
        }
    }

    private double errors(BmpError e) {
        return registry.get("meshwatch.bmp.errors").tag("reason", e.label()).counter().count();
    }

    /** Whether the collector closed the connection (reading returns end of stream) within the timeout. */
    private static boolean closedByCollector(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void frrCaptureOverTcpFillsTheRouteTable() throws Exception {
        String router = Events.uniqueRouter("rw-frr");
        stream(BmpWriter.withSysName(FRR, router));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?limit=100", router).then().statusCode(200)
                .body("routes.prefix", contains("100.65.1.0/24", "100.65.2.0/24", "100.65.3.0/24", "100.65.4.0/25",
                        "100.66.1.0/24", "100.66.3.0/24", "192.0.2.0/24", "198.51.100.0/25", "203.0.113.0/24")));
        given().get("/api/v1/routers/{r}/routes?prefix=100.66.1.0/24", router).then().statusCode(200)
                .body("routes[0].best.asPath", equalTo("65004 64510 64511"))
                .body("routes[0].best.peer", equalTo("198.18.24.4"))
                .body("routes[0].best.nextHop", equalTo("198.18.24.4"));
        given().get("/api/v1/routers/{r}/routes?prefix=203.0.113.0/24", router).then().statusCode(200)
                .body("routes[0].best.med", equalTo(20))
                .body("routes[0].best.communities", contains("65001:101"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/peers", router).then().statusCode(200)
                .body("findAll { it.peer == '198.18.24.4' }.state", hasItem("established"))
                .body("findAll { it.peer == '198.18.23.3' }.state", hasItem("established")));
    }

    @Test
    void malformedStreamsCloseOnlyTheirConnection() throws Exception {
        double badVersion = errors(BmpError.BAD_VERSION);
        double badLength = errors(BmpError.BAD_LENGTH);
        double truncated = errors(BmpError.TRUNCATED);
        double malformed = errors(BmpError.MALFORMED);

        // garbage: not BMP v3 at all
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertTrue(closedByCollector(s), "garbage closes the connection");
        }
        // an absurd length: nothing to resynchronise on
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {3, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0});
            assertTrue(closedByCollector(s), "an absurd length closes the connection");
        }
        // a message cut short by the router going away
        byte[] init = BmpWriter.initiation("test", "cut-short");
        Peer peer = Peer.global("10.0.0.1", 64512, 1_795_000_000L).flags(0x40);
        byte[] rm = BmpWriter.routeMonitoring(peer, BmpWriter.ipv4Update(List.of(), List.of(Prefix.parse("10.1.0.0/16")),
                new long[] {64512}, "10.0.0.1", null, null, null));
        stream(init, java.util.Arrays.copyOf(rm, rm.length - 7));

        // a sane length around a body that does not decode: skipped, and the next message is used
        String router = Events.uniqueRouter("resync");
        byte[] broken = BmpWriter.routeMonitoring(peer, BmpWriter.bgp(2, new byte[] {0, 0, 0, 9, 0x40, 1, 1}));
        byte[] good = BmpWriter.routeMonitoring(peer, BmpWriter.ipv4Update(List.of(),
                List.of(Prefix.parse("10.2.0.0/16")), new long[] {64512}, "10.0.0.1", null, null, null));
        try (Socket s = connect()) {
            s.getOutputStream().write(BmpWriter.initiation("test", router));
            s.getOutputStream().write(broken);
            s.getOutputStream().write(good);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                    .get("/api/v1/routers/{r}/routes", router).then().statusCode(200)
                    .body("routes.prefix", contains("10.2.0.0/16")));
            assertTrue(!closedByCollector(shortTimeout(s)), "the connection stays open after a bad body");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(badVersion + 1, errors(BmpError.BAD_VERSION));
            assertEquals(badLength + 1, errors(BmpError.BAD_LENGTH));
            assertEquals(truncated + 1, errors(BmpError.TRUNCATED));
            assertEquals(malformed + 1, errors(BmpError.MALFORMED));
        });
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("meshwatch_bmp_errors_total{reason=\"bad_version\"}"));

        // and the collector still serves the next router
        String after = Events.uniqueRouter("after-garbage");
        stream(BmpWriter.withSysName(FRR, after));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=192.0.2.0/24", after).then().statusCode(200)
                .body("routes.prefix", contains("192.0.2.0/24")));
    }

    @Test
    void bmpReplayStreamsACaptureFileAsARouterWould() throws Exception {
        String router = Events.uniqueRouter("replayed");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bmp-frr", ".bin");
        try {
            java.nio.file.Files.write(file, FRR);
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = BmpReplay.run(new String[] {"--port", String.valueOf(collector.port()), "--sys-name", router,
                "--rate", "2000", file.toString()}, new java.io.PrintStream(err, true));
            assertEquals(0, code, err.toString());
            assertTrue(err.toString().contains("143 messages"), err.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=100.66.3.0/24", router).then().statusCode(200)
                .body("routes[0].best.asPath", equalTo("65004")));
        assertEquals(2, BmpReplay.run(new String[] {"--bogus"}, new java.io.PrintStream(
                new java.io.ByteArrayOutputStream())));
    }

    private static Socket shortTimeout(Socket s) throws IOException {
        s.setSoTimeout(500);
        return s;
    }
}
