package io.meshwatch.strongswan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.event.TunnelStateEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** charon's vici events (shapes as vici's README and list-sas give them) to tunnel states. */
class ViciMapperTest {

    static final Instant T = Instant.parse("2026-12-07T20:00:00Z");
    final ViciMapper mapper = new ViciMapper("cx-ash", Map.of("primary", "vpn-ash-use1-dx"));

    static Map<String, Object> child(String name, String state, String in, String out) {
        return Map.of("name", name, "state", state, "bytes-in", in, "bytes-out", out);
    }

    static Map<String, Object> ike(String state, Map<String, Object> children) {
        return Map.of("uniqueid", "3", "state", state, "remote-host", "198.18.71.2", "child-sas", children);
    }

    @Test
    void aChildSaUpIsTheTunnelUpWithItsCounters() {
        List<TunnelStateEvent> out = mapper.map("child-updown", Map.of("up", "yes",
                "primary", ike("ESTABLISHED", Map.of("primary-7", child("primary", "INSTALLED", "120", "80")))), T);
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "vpn-ash-use1-dx", "up", "ike", 120L, 80L)), out);
    }

    @Test
    void anIkeSaDownIsTheTunnelDownAndItsUpWaitsForTheChild() {
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "vpn-ash-use1-dx", "down", "ike", null, null)),
                mapper.map("ike-updown", Map.of("primary", ike("DELETING", Map.of())), T));
        assertEquals(List.of(), mapper.map("ike-updown", Map.of("up", "yes", "primary", ike("ESTABLISHED", Map.of())), T));
    }

    @Test
    void aChildSaDownKeepsItsLastCountersAndAnUnmappedConnectionKeepsItsName() {
        List<TunnelStateEvent> out = mapper.map("child-updown", Map.of(
                "backup", ike("ESTABLISHED", Map.of("backup-9", child("backup", "DELETING", "5", "6")))), T);
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "backup", "down", "ike", 5L, 6L)), out);
    }

    @Test
    void rekeysRestateUpWithoutTheNewSasZeroedCounters() {
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "vpn-ash-use1-dx", "up", "ike", null, null)),
                mapper.map("ike-rekey", Map.of("primary", Map.of("old", Map.of(), "new", Map.of())), T));
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "vpn-ash-use1-dx", "up", "ike", null, null)),
                mapper.map("child-rekey", Map.of("primary", ike("ESTABLISHED", Map.of("primary",
                        Map.of("old", child("primary", "REKEYED", "9", "9"), "new", child("primary", "INSTALLED", "0",
                                "0"))))), T));
    }

    @Test
    void theStateAtConnectionReportsInstalledChildrenOfEstablishedSas() {
        assertEquals(List.of(new TunnelStateEvent("cx-ash", T, "vpn-ash-use1-dx", "up", "ike", 10L, 20L)),
                mapper.map("list-sa", Map.of("primary", ike("ESTABLISHED",
                        Map.of("primary-1", child("primary", "INSTALLED", "10", "20")))), T));
        assertEquals(List.of(), mapper.map("list-sa", Map.of("primary", ike("CONNECTING", Map.of())), T));
    }

    @Test
    void aChildNamedInTheMappingWinsOverItsConnection() {
        ViciMapper m = new ViciMapper("r1", Map.of("conn", "tunnel-a", "child-b", "tunnel-b"));
        List<TunnelStateEvent> out = m.map("child-updown", Map.of("up", "yes", "conn", ike("ESTABLISHED",
                Map.of("child-b-2", child("child-b", "INSTALLED", "1", "1")))), T);
        assertEquals("tunnel-b", out.get(0).tunnel());
    }
}
