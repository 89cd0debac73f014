package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.DocumentFormat;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryChanges;
import io.meshwatch.inventory.InventoryReader;
import io.meshwatch.inventory.InventoryService;
import io.meshwatch.inventory.TestInventories;
import io.meshwatch.testing.LocalPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET and PUT /api/v1/inventory against the running service, its real PostgreSQL and Kafka. */
@QuarkusTest
class InventoryApiTest {

    /** No authentication yet: the author is the caller's address (this test's, over loopback). */
    /** The change is recorded under the API key's name: the test profile's development admin key. */
    static final String ANONYMOUS_LOOPBACK = io.meshwatch.testing.DefaultApiKey.ADMIN;

    @Inject
    InventoryService service;

    @Inject
    InventoryChanges changes;

    /** RestAssured sends a YAML body as it is given. */
    static RequestSpecification yaml() {
        return given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/yaml", ContentType.TEXT))).contentType("application/yaml");
    }

    @AfterEach
    void putTheDemoBack() throws Exception {
        TestInventories.restoreDemo(service);
    }

    @Test
    void getReturnsTheDemoNetworkAsJsonByDefault() throws Exception {
        Response r = given().get("/api/v1/inventory").then().statusCode(200)
                .contentType("application/json")
                .body("version", equalTo(1))
                .body("routers.id", equalTo(List.of("tr-use1", "tr-euw1", "tr-apse1", "cx-ash", "cx-fra")))
                .body("circuits[0].kind", equalTo("direct-connect"))
                .body("circuits[0].thresholds.'latency-ms'", equalTo(15))
                .body("'tunnel-groups'[0].'failover-objective'", equalTo("30s"))
                .body("'tunnel-groups'[0].tunnels[1].aliases", hasItem("vpn-0a11c0ffee0000001:52.23.10.10"))
                .extract().response();
        assertEquals(InventoryReader.read(TestInventories.demo()), InventoryReader.read(r.asString(), DocumentFormat.JSON));
        assertEquals(Long.toString(service.active().revision().version()), r.header("Meshwatch-Inventory-Version"));
        assertEquals(service.active().revision().sha256(), r.header("Meshwatch-Inventory-Sha256"));
    }

    @Test
    void getReturnsYamlWhenAskedFor() throws Exception {
        String yaml = given().accept("application/yaml").get("/api/v1/inventory").then().statusCode(200)
                .contentType(startsWith("application/yaml")).extract().asString();
        assertEquals(InventoryReader.read(TestInventories.demo()), InventoryReader.read(yaml));
    }

    @Test
    void putYamlStoresItAndItTakesEffectAtOnce() throws Exception {
        long before = service.active().revision().version();
        Response put = yaml().body(TestInventories.LAB).put("/api/v1/inventory")
                .then().statusCode(200).contentType(startsWith("application/yaml"))
                .header("Meshwatch-Inventory-Source", "api")
                .header("Meshwatch-Inventory-Updated-By", matchesPattern(ANONYMOUS_LOOPBACK))
                .extract().response();
        long version = Long.parseLong(put.header("Meshwatch-Inventory-Version"));
        assertEquals(before + 1, version);
        Inventory lab = InventoryReader.read(TestInventories.LAB);
        assertEquals(lab, InventoryReader.read(put.asString()));

        // in force for readers and observers at once
        assertEquals(lab, service.current());
        assertEquals("lab-dx", service.index().circuit("lab-a", "eth1").orElseThrow().id());
        assertEquals(version, changes.last().current().revision().version());
        assertEquals(lab, changes.last().inventory());

        given().get("/api/v1/inventory").then().statusCode(200)
                .header("Meshwatch-Inventory-Version", Long.toString(version))
                .body("routers.id", equalTo(List.of("lab-a", "lab-b")))
                .body("routers[1].region", equalTo("eu-west-1"))
                .body("circuits[0].sessions[0].vrf", equalTo("default"))
                .body("'tunnel-groups'[0].tunnels[1].aliases[0]", equalTo("vpn-lab:192.0.2.4"))
                .body("prefixes[0].severity", equalTo("major"));
        String yaml = given().accept("application/yaml").get("/api/v1/inventory").then().statusCode(200)
                .extract().asString();
        assertEquals(lab, InventoryReader.read(yaml));

        // stored as given, comment and all, before it took effect
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement ps = c.prepareStatement(
                     "select document, format, source, updated_by from inventory_revision where version = ?")) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(TestInventories.LAB, rs.getString("document"));
                assertEquals("yaml", rs.getString("format"));
                assertEquals("api", rs.getString("source"));
                assertTrue(rs.getString("updated_by").matches(ANONYMOUS_LOOPBACK), rs.getString("updated_by"));
            }
        }
    }

    @Test
    void putJsonAnswersJson() throws Exception {
        // tab indentation and an escaped slash: JSON, but not YAML
        String json = "{\n\t\"version\": 1,\n\t\"routers\": [ { \"id\": \"lab\\/json\", \"asn\": 64610 } ]\n}";
        given().contentType("application/json").body(json).put("/api/v1/inventory").then().statusCode(200)
                .contentType("application/json")
                .body("routers[0].id", equalTo("lab/json"))
                .body("routers[0].role", equalTo("edge"))
                .body("circuits", equalTo(List.of()));
        assertEquals("lab/json", service.current().routers().get(0).id());
        // what GET returns is a valid body for PUT
        String got = given().get("/api/v1/inventory").then().statusCode(200).extract().asString();
        given().contentType("application/json").body(got).put("/api/v1/inventory").then().statusCode(200)
                .body("routers[0].id", equalTo("lab/json"));
    }

    @Test
    void crossReferenceProblemsAreAllListedAnd422() throws Exception {
        long before = service.active().revision().version();
        yaml().body("""
                routers:
                  - { id: r1, asn: 65001 }
                  - { id: r1, asn: 65002 }
                circuits:
                  - id: c1
                    kind: direct-connect
                    a: { router: cx-nowhere, interface: eth0 }
                    sessions: [ { router: r1, peer: 10.0.0.1 } ]
                tunnel-groups:
                  - id: g1
                    tunnels:
                      - { id: t1, router: r1, role: backup, circuit: c1 }
                      - { id: t1, router: r1, role: backup }
                """).put("/api/v1/inventory").then().statusCode(422)
                .contentType("application/json")
                .body("status", equalTo(422))
                .body("error", equalTo("invalid_inventory"))
                .body("message", equalTo("the inventory has 6 problems; nothing was changed (format: docs/inventory.md)"))
                .body("problems", equalTo(List.of(
                        "routers[1].id: duplicate router id 'r1'",
                        "circuits[0].a.router: unknown router 'cx-nowhere'",
                        "circuits[0].sessions[0].router: router 'r1' is at neither end of circuit 'c1'",
                        "tunnel-groups[0]: tunnel group 'g1' has no primary tunnel",
                        "tunnel-groups[0].tunnels[0].circuit: circuit 'c1' has no end on the tunnel's router 'r1'",
                        "tunnel-groups[0].tunnels[1].id: duplicate tunnel or alias id 't1'")));
        assertEquals(before, service.active().revision().version(), "nothing changed");
    }

    @Test
    void fieldProblemsAreAllListedAnd422() {
        yaml().body("""
                routers:
                  - { id: r1, asn: 70000000000, colour: red }
                circuits:
                  - { id: c1, kind: dx, a: { router: r1, interface: eth0 }, thresholds: { dwell: soon } }
                prefixes:
                  - { prefix: 10.0.0.0/33, severity: urgent }
                """).put("/api/v1/inventory").then().statusCode(422)
                .body("problems", equalTo(List.of(
                        "routers[0].colour: unknown field; expected one of [asn, id, region, role, site]",
                        "routers[0].asn: expected an AS number 1..4294967295, got 70000000000",
                        "circuits[0].kind: unknown value \"dx\"; expected one of [direct-connect, expressroute, "
                                + "interconnect, cross-connect]",
                        "circuits[0].thresholds.dwell: expected a duration such as 30s, 500ms, 2m or PT30S, got \"soon\"",
                        "prefixes[0].prefix: not a prefix: '10.0.0.0/33' (invalid prefix '10.0.0.0/33': IPv4 prefix "
                                + "length 33 is outside 0..32)",
                        "prefixes[0].severity: unknown value \"urgent\"; expected one of [critical, major, minor, "
                                + "warning, info]")));
    }

    @Test
    void aBodyThatIsNotYamlIs400WithWhere() {
        yaml().body("routers:\n  - { id: r1\n").put("/api/v1/inventory").then()
                .statusCode(400)
                .body("status", equalTo(400))
                .body("error", equalTo("bad_request"))
                .body("problems", equalTo(List.of("not valid YAML or JSON at line 3, column 1: expected ',' or '}', but "
                        + "got <stream end> (while parsing a flow mapping that starts at line 2, column 5)")));
        yaml().body("").put("/api/v1/inventory").then().statusCode(400)
                .body("problems", equalTo(List.of("(document): the body is empty; send the whole inventory")));
    }

    @Test
    void otherContentTypesAre415() {
        given().contentType("text/plain").body(TestInventories.LAB).put("/api/v1/inventory").then().statusCode(415)
                .contentType("application/json")
                .body("status", equalTo(415))
                .body("error", equalTo("unsupported_media_type"))
                .body("message", equalTo("Content-Type text/plain is not supported; send the inventory as "
                        + "application/yaml or application/json"));
        given().contentType("application/xml").body("<inventory/>").put("/api/v1/inventory").then().statusCode(415);
    }

    @Test
    void openApiDescribesTheInventory() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/v1/inventory"))
                .body("paths.'/api/v1/inventory'.get.summary", equalTo("The inventory in force"))
                .body("paths.'/api/v1/inventory'.put.requestBody.content", hasKey("application/yaml"))
                .body("paths.'/api/v1/inventory'.put.requestBody.content", hasKey("application/json"))
                .body("paths.'/api/v1/inventory'.put.responses", hasKey("422"));
    }
}
