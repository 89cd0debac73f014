package io.meshwatch.strongswan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViciTest {

    private static Vici.Packet roundTrip(byte[] wire) throws ViciFormatException {
        assertEquals(wire.length - 4, Vici.length(Arrays.copyOf(wire, 4)));
        return Vici.decode(Arrays.copyOfRange(wire, 4, wire.length));
    }

    @Test
    void anEventRegistrationIsItsTypeAndName() throws Exception {
        byte[] wire = Vici.encode(Vici.EVENT_REGISTER, "ike-updown", null);
        // length 12, type 3, name length 10, "ike-updown"
        assertArrayEquals(new byte[] {0, 0, 0, 12, 3, 10, 'i', 'k', 'e', '-', 'u', 'p', 'd', 'o', 'w', 'n'}, wire);
        Vici.Packet p = roundTrip(wire);
        assertEquals(Vici.EVENT_REGISTER, p.type());
        assertEquals("ike-updown", p.name());
        assertEquals(Map.of(), p.message());
    }

    @Test
    void aMessageWithSectionsListsAndValuesReadsBackInOrder() throws Exception {
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("name", "primary");
        child.put("bytes-in", "1234");
        Map<String, Object> ike = new LinkedHashMap<>();
        ike.put("state", "ESTABLISHED");
        ike.put("local-ts", List.of("10.255.1.1/32", "10.255.1.3/32"));
        ike.put("child-sas", Map.of("primary-7", child));
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("up", "yes");
        msg.put("primary", ike);
        Vici.Packet p = roundTrip(Vici.encode(Vici.EVENT, "child-updown", msg));
        assertEquals(Vici.EVENT, p.type());
        assertEquals("child-updown", p.name());
        assertEquals(msg, p.message());
        assertEquals(List.of("up", "primary"), List.copyOf(p.message().keySet()));
    }

    @Test
    void unnamedTypesCarryNoName() throws Exception {
        Vici.Packet confirm = roundTrip(Vici.encode(Vici.EVENT_CONFIRM, null, null));
        assertEquals(Vici.EVENT_CONFIRM, confirm.type());
        assertNull(confirm.name());
        Vici.Packet response = roundTrip(Vici.encode(Vici.CMD_RESPONSE, null, Map.of("success", "yes")));
        assertEquals(Map.of("success", "yes"), response.message());
    }

    @Test
    void malformedPacketsAreRefusedSayingWhatAndWhere() {
        // a section never closed
        byte[] open = {7, 1, 'e', 1, 1, 's'};
        assertTrue(assertThrows(ViciFormatException.class, () -> Vici.decode(open)).getMessage()
                .contains("inside a section"));
        // a value longer than the packet
        byte[] longValue = {1, 3, 1, 'k', 0, 9, 'v'};
        assertTrue(assertThrows(ViciFormatException.class, () -> Vici.decode(longValue)).getMessage()
                .contains("runs past the packet's end"));
        // a list item outside a list
        byte[] stray = {1, 5, 0, 1, 'x'};
        assertThrows(ViciFormatException.class, () -> Vici.decode(stray));
        // an unknown packet type, a section end at the top
        assertThrows(ViciFormatException.class, () -> Vici.decode(new byte[] {9}));
        assertThrows(ViciFormatException.class, () -> Vici.decode(new byte[] {1, 2}));
        // an impossible length
        assertThrows(ViciFormatException.class, () -> Vici.length(new byte[] {0, 0, 0, 0}));
        assertThrows(ViciFormatException.class, () -> Vici.length(new byte[] {0, 8, 0, 1}));
        // bytes after an unnamed packet without a message
        assertThrows(ViciFormatException.class, () -> Vici.decode(new byte[] {5, 1}));
    }

    @Test
    void namesAndValuesOutOfRangeAreNotWritten() {
        assertThrows(IllegalArgumentException.class, () -> Vici.encode(Vici.EVENT_REGISTER, "", null));
        assertThrows(IllegalArgumentException.class, () -> Vici.encode(Vici.CMD_REQUEST, "x",
                Map.of("k", "v".repeat(70_000))));
    }
}
