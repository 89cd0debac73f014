package io.meshwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the published JSON Schemas ({@code src/main/resources/schemas}), their examples and the
 * codec in agreement: whatever one accepts or refuses, the other does too, except for the few
 * checks JSON Schema cannot express, which are listed in {@link #onlyTheCodecChecks()}.
 *
 * <p>Schemas and examples are read from the classpath only. Example files are named
 * {@code <type>.v1.json} or {@code <type>.v1.<variant>.json}.
 */
class EventSchemasTest {

    private static final String SCHEMAS = "schemas/";
    private static final String EXAMPLES = "schemas/examples/";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMA_CACHE = new HashMap<>();

    private final EventCodec codec = new EventCodec(new ObjectMapper());

    // ---------------------------------------------------------------------------------------------
    // (a) and (b): every example validates, decodes, and re-encodes to something that validates

    @TestFactory
    Stream<DynamicTest> examplesValidateAndDecode() {
        return exampleFiles().stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            JsonNode example = readJson(EXAMPLES + file);
            String type = example.path("type").asText();
            assertTrue(file.startsWith(type + ".v1."), file + " is named after its type '" + type + "'");
            assertValid(schemaFor(type), example, file);
            assertValid(envelopeSchema(), example, file + " against the envelope schema");
            CanonicalEvent event = decode(example);
            assertEquals(type, event.type().wire());
            assertEquals(example.get("router").asText(), event.router());
        }));
    }

    @TestFactory
    Stream<DynamicTest> reEncodedExamplesValidate() {
        return exampleFiles().stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            JsonNode example = readJson(EXAMPLES + file);
            CanonicalEvent event = decode(example);
            String source = example.hasNonNull("source") ? example.get("source").asText() : null;
            byte[] encoded = codec.encode(event, source);
            JsonNode reEncoded = MAPPER.readTree(encoded);
            assertValid(schemaFor(event.type().wire()), reEncoded, file + " re-encoded");
            assertEquals(event, codec.decode(encoded, event.type().family()), file + " round-trips");
        }));
    }

    // ---------------------------------------------------------------------------------------------
    // (c): invalid variants are refused by both the schema and the codec

    /** One way to break an example, and the reason the codec must give. */
    record Variant(String name, String example, String pointer, JsonNode value, RejectReason reason) {
        /** A null value removes the member the pointer names. */
        JsonNode apply(JsonNode base) {
            JsonNode copy = base.deepCopy();
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = copy.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (parent instanceof ObjectNode o) {
                if (value == null) {
                    o.remove(last);
                } else {
                    o.set(last, value);
                }
            } else if (parent instanceof ArrayNode a) {
                if (value == null) {
                    a.remove(Integer.parseInt(last));
                } else {
                    a.set(Integer.parseInt(last), value);
                }
            } else {
                throw new IllegalArgumentException(pointer + " does not name a member of " + example);
            }
            return copy;
        }
    }

    private static Variant missing(String example, String pointer) {
        return new Variant("without " + pointer, example, pointer, null, RejectReason.MISSING_FIELD);
    }

    private static Variant invalid(String example, String pointer, Object value) {
        return new Variant(pointer + " = " + value, example, pointer, json(value), RejectReason.INVALID_VALUE);
    }

    private static Variant wrongType(String example, String pointer, Object value) {
        return new Variant(pointer + " = " + value, example, pointer, json(value), RejectReason.WRONG_TYPE);
    }

    static List<Variant> invalidVariants() {
        String peer = "bgp.peer_state.v1.json";
        String update = "bgp.update.v1.json";
        String addPath = "bgp.update.v1.add-path.json";
        String asSet = "bgp.update.v1.as-set.json";
        String withdraw = "bgp.update.v1.withdraw.json";
        String eor = "bgp.end_of_rib.v1.json";
        String ifState = "interface.state.v1.json";
        String counters = "interface.counters.v1.json";
        String tunnel = "ipsec.tunnel_state.v1.json";
        String probe = "probe.result.v1.json";
        String tcp = "tcp.retransmits.v1.json";
        return List.of(
                // envelope
                missing(peer, "/router"),
                missing(peer, "/time"),
                missing(peer, "/payload"),
                new Variant("/version = 2", peer, "/version", json(2), RejectReason.UNSUPPORTED_VERSION),
                wrongType(peer, "/version", "1"),
                new Variant("/type = bgp.keepalive", peer, "/type", json("bgp.keepalive"), RejectReason.UNKNOWN_TYPE),
                invalid(peer, "/router", "  "),
                invalid(peer, "/time", "2026-11-26 08:14:03Z"),
                invalid(peer, "/time", "2026-11-26T08:14Z"),
                wrongType(peer, "/source", 7),
                wrongType(peer, "/payload", "established"),
                // missing required fields
                missing(peer, "/payload/peer_as"),
                missing(peer, "/payload/state"),
                missing(update, "/payload/peer"),
                missing(update, "/payload/attributes"),
                missing(update, "/payload/attributes/next_hop"),
                missing(update, "/payload/attributes/as_path"),
                missing(update, "/payload/attributes/origin"),
                missing(withdraw, "/payload/withdraw"),
                new Variant("empty withdraw", withdraw, "/payload/withdraw", JSON.arrayNode(),
                        RejectReason.MISSING_FIELD),
                missing(addPath, "/payload/announce/0/prefix"),
                missing(eor, "/payload/afi"),
                // 4-octet identifiers are IPv4 only
                invalid(addPath, "/payload/attributes/originator_id", "2001:db8::1"),
                invalid(addPath, "/payload/attributes/cluster_list/0", "::1"),
                missing(ifState, "/payload/oper_status"),
                missing(counters, "/payload/interface"),
                missing(tunnel, "/payload/tunnel"),
                missing(probe, "/payload/loss_pct"),
                missing(tcp, "/payload/retransmits"),
                // enumerations
                invalid(peer, "/payload/state", "up"),
                invalid(peer, "/payload/state", "Established"),
                invalid(update, "/payload/rib", "adj-rib-in"),
                invalid(update, "/payload/attributes/origin", "bgp"),
                invalid(eor, "/payload/afi", "IPv4"),
                invalid(ifState, "/payload/oper_status", "UP"),
                invalid(ifState, "/payload/admin_status", "shutdown"),
                invalid(tunnel, "/payload/state", "degraded"),
                invalid(tunnel, "/payload/signal", "azure"),
                // AS numbers
                invalid(peer, "/payload/peer_as", 4294967296L),
                invalid(peer, "/payload/peer_as", -1),
                invalid(peer, "/payload/local_as", 4294967296L),
                wrongType(peer, "/payload/peer_as", "64512"),
                invalid(update, "/payload/attributes/as_path/1", 4294967296L),
                invalid(asSet, "/payload/attributes/as_path/1/2", 4294967296L),
                invalid(asSet, "/payload/attributes/as_path/1", JSON.arrayNode()),
                wrongType(update, "/payload/attributes/as_path", "64512 4200000101"),
                wrongType(asSet, "/payload/attributes/as_path/1/0", "65101"),
                // other integer ranges and types
                invalid(update, "/payload/attributes/local_pref", -1),
                invalid(update, "/payload/attributes/med", 4294967296L),
                invalid(addPath, "/payload/announce/0/path_id", -1),
                invalid(addPath, "/payload/withdraw/0/path_id", 4294967296L),
                invalid(counters, "/payload/in_errors", -1),
                invalid(counters, "/payload/in_octets", new java.math.BigInteger("9223372036854775808")),
                wrongType(counters, "/payload/out_octets", 1.5),
                invalid(tunnel, "/payload/bytes_in", -5),
                invalid(probe, "/payload/loss_pct", 100.5),
                invalid(probe, "/payload/latency_ms", -0.1),
                invalid(probe, "/payload/sent", 0),
                invalid(probe, "/payload/sent", 1_000_001),
                invalid(tcp, "/payload/interval_s", 0),
                invalid(tcp, "/payload/retransmits", -1),
                // communities
                invalid(update, "/payload/attributes/communities/0", "65536:120"),
                invalid(update, "/payload/attributes/communities/0", "65010"),
                invalid(update, "/payload/attributes/communities/0", "65010:120:1"),
                invalid(update, "/payload/attributes/communities/0", "rt:65010:120"),
                invalid(update, "/payload/attributes/communities/0", "NO_EXPORT"),
                wrongType(update, "/payload/attributes/communities/0", 65010),
                invalid(update, "/payload/attributes/large_communities/0", "4294967296:10:300"),
                invalid(update, "/payload/attributes/large_communities/0", "4200000101:10"),
                // addresses and prefixes
                invalid(peer, "/payload/peer", "169.254.300.1"),
                invalid(peer, "/payload/peer", "aws-use1-tr1"),
                invalid(update, "/payload/attributes/next_hop", "fe80::1%eth0"),
                invalid(addPath, "/payload/attributes/cluster_list/0", "10.255.0"),
                invalid(update, "/payload/announce/0", "10.20.0.0"),
                invalid(update, "/payload/announce/0", "10.20.0.0/33"),
                invalid(update, "/payload/announce/1", "2001:db8::/129"),
                wrongType(update, "/payload/announce/0", 42),
                wrongType(addPath, "/payload/announce/0/prefix", 42),
                wrongType(update, "/payload/announce", "10.20.0.0/16"));
    }

    @TestFactory
    Stream<DynamicTest> invalidVariantsAreRefusedByBoth() {
        return invalidVariants().stream().map(v -> DynamicTest.dynamicTest(v.example() + ": " + v.name(), () -> {
            JsonNode broken = v.apply(readJson(EXAMPLES + v.example()));
            String type = readJson(EXAMPLES + v.example()).get("type").asText();
            assertFalse(schemaFor(type).validate(broken).isEmpty(), "the schema accepts " + broken);
            RejectedRecordException e = assertThrows(RejectedRecordException.class, () -> decode(broken),
                    "the codec accepts " + broken);
            assertEquals(v.reason(), e.reason(), e.getMessage());
        }));
    }

    /**
     * What JSON Schema cannot express: the schemas accept these, the codec refuses them. Listed
     * here so that docs/events.md can say so and nobody is surprised.
     */
    @Test
    void onlyTheCodecChecks() throws Exception {
        List<Variant> codecOnly = List.of(
                invalid("bgp.update.v1.json", "/payload/announce/0", "10.20.1.0/16"),
                invalid("bgp.update.v1.ipv6.json", "/payload/announce/1", "2001:db8:4b00::1/48"),
                invalid("probe.result.v1.json", "/payload/received", 21),
                invalid("bgp.peer_state.v1.json", "/time", "2026-02-30T08:00:00Z"),
                invalid("bgp.peer_state.v1.json", "/payload/peer", "2001:db8::1::2"),
                wrongType("bgp.peer_state.v1.json", "/payload/peer_as", 65515.0));
        for (Variant v : codecOnly) {
            JsonNode broken = v.apply(readJson(EXAMPLES + v.example()));
            assertValid(schemaFor(broken.get("type").asText()), broken, v.name());
            RejectedRecordException e = assertThrows(RejectedRecordException.class, () -> decode(broken), v.name());
            assertEquals(v.reason(), e.reason(), e.getMessage());
        }
    }

    /** The community patterns and the codec agree on the edges of their ranges. */
    @Test
    void communityPatternsMatchTheCodec() throws Exception {
        List<String> communities = List.of("0:0", "65535:65535", "65536:0", "0:65536", "65010:120", "065010:0120",
                "99999:1", "1:", ":1", "1:2:3", "a:1", " 1:2", "1:2 ", "");
        List<String> large = List.of("0:0:0", "4294967295:4294967295:4294967295", "4294967296:0:0",
                "0:4294967296:0", "0:0:4294967296", "4200000101:10:300", "4299999999:1:1", "4294967299:1:1",
                "4294967395:1:1", "4294968295:1:1", "9999999999:1:1", "1:2", "1:2:3:4", "1::3", "x:1:2");
        JsonNode base = readJson(EXAMPLES + "bgp.update.v1.json");
        for (String c : communities) {
            checkAgreement(new Variant(c, "", "/payload/attributes/communities/0", json(c), null).apply(base), c);
        }
        for (String c : large) {
            checkAgreement(new Variant(c, "", "/payload/attributes/large_communities/0", json(c), null).apply(base), c);
        }
    }

    /** The IPv4 address pattern is exact; the codec and the schema agree on these. */
    @Test
    void ipv4PatternMatchesTheCodec() throws Exception {
        List<String> addresses = List.of("0.0.0.0", "255.255.255.255", "256.0.0.1", "169.254.21.1", "169.254.021.001",
                "1.2.3", "1.2.3.4.", ".1.2.3", "1.2.3.4.5", "1.2.3.0255", "1..2.3", "1.2.3.-4");
        JsonNode base = readJson(EXAMPLES + "bgp.peer_state.v1.json");
        for (String a : addresses) {
            checkAgreement(new Variant(a, "", "/payload/peer", json(a), null).apply(base), a);
        }
    }

    private void checkAgreement(JsonNode event, String what) {
        boolean schemaOk = schemaFor(event.get("type").asText()).validate(event).isEmpty();
        boolean codecOk;
        try {
            decode(event);
            codecOk = true;
        } catch (RejectedRecordException e) {
            codecOk = false;
        }
        assertEquals(codecOk, schemaOk, "'" + what + "': codec " + (codecOk ? "accepts" : "refuses")
                + ", schema " + (schemaOk ? "accepts" : "refuses"));
    }

    // ---------------------------------------------------------------------------------------------
    // (d): every event type is documented

    @Test
    void everyEventTypeHasASchemaAndAnExample() {
        Set<String> exampleTypes = new TreeSet<>();
        for (String file : exampleFiles()) {
            exampleTypes.add(readJson(EXAMPLES + file).path("type").asText());
        }
        for (EventType t : EventType.values()) {
            String schemaFile = SCHEMAS + t.wire() + ".v1.schema.json";
            assertNotNull(getClass().getClassLoader().getResource(schemaFile), "no " + schemaFile);
            JsonNode schema = readJson(schemaFile);
            assertEquals(t.wire(), schema.at("/properties/type/const").asText(),
                    schemaFile + " pins 'type' to its own event type");
            assertTrue(exampleTypes.contains(t.wire()), "no example in " + EXAMPLES + " for " + t.wire());
        }
        Set<String> wire = Arrays.stream(EventType.values()).map(EventType::wire)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(wire, exampleTypes, "every example is of a known type");
        Set<String> envelopeTypes = new TreeSet<>();
        readJson(SCHEMAS + "envelope.v1.schema.json").at("/properties/type/enum")
                .forEach(n -> envelopeTypes.add(n.asText()));
        assertEquals(wire, envelopeTypes, "the envelope schema lists exactly the EventType values");
    }

    @Test
    void theDocsHaveASectionPerEventType() throws IOException {
        // docs/ is not on the classpath; surefire runs in the project directory.
        String docs = Files.readString(Path.of("docs", "events.md"));
        for (EventType t : EventType.values()) {
            assertTrue(docs.contains("### `" + t.wire() + "`"), "docs/events.md has no section for " + t.wire());
        }
        for (RejectReason r : RejectReason.values()) {
            assertTrue(docs.contains("`" + r.label() + "`"), "docs/events.md does not explain " + r.label());
        }
        List<JsonNode> shown = new ArrayList<>();
        String[] parts = docs.split("```json\n");
        for (int i = 1; i < parts.length; i++) { // parts[0] is the text before the first block
            shown.add(MAPPER.readTree(parts[i].substring(0, parts[i].indexOf("```"))));
        }
        for (String file : exampleFiles()) {
            assertTrue(shown.contains(readJson(EXAMPLES + file)), "docs/events.md does not show " + file
                    + " as it is");
        }
    }

    // ---------------------------------------------------------------------------------------------

    private CanonicalEvent decode(JsonNode event) throws RejectedRecordException {
        try {
            return codec.decode(MAPPER.writeValueAsBytes(event), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertValid(Schema schema, JsonNode event, String what) {
        List<Error> errors = schema.validate(event);
        if (!errors.isEmpty()) {
            fail(what + " does not validate: " + errors.stream().map(Error::toString)
                    .collect(Collectors.joining("; ")));
        }
    }

    private static synchronized Schema schemaFor(String type) {
        return SCHEMA_CACHE.computeIfAbsent(type, t -> {
            String file = SCHEMAS + t + ".v1.schema.json";
            assertNotNull(EventSchemasTest.class.getClassLoader().getResource(file), "no " + file);
            return REGISTRY.getSchema(SchemaLocation.of("classpath:" + file));
        });
    }

    private static Schema envelopeSchema() {
        return schemaFor("envelope");
    }

    private static JsonNode readJson(String resource) {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, "no " + resource + " on the classpath");
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Names of the example files, listed from the classpath directory (or jar) that holds them. */
    static List<String> exampleFiles() {
        URL url = EventSchemasTest.class.getClassLoader().getResource(EXAMPLES);
        assertNotNull(url, "no " + EXAMPLES + " on the classpath");
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(fs.getPath(EXAMPLES));
                }
            }
            return list(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().forEach(out::add);
        }
        assertFalse(out.isEmpty(), "no examples in " + dir);
        return out;
    }
}
