package io.meshwatch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void whoMayDoWhat() {
        assertEquals(Role.VIEWER, Role.required("GET", "/api/v1/alerts"));
        assertEquals(Role.VIEWER, Role.required("GET", "/api/v1/inventory"));
        assertEquals(Role.RESPONDER, Role.required("POST", "/api/v1/alerts/abc/acknowledge"));
        assertEquals(Role.RESPONDER, Role.required("POST", "/api/v1/silences"));
        assertEquals(Role.RESPONDER, Role.required("DELETE", "/api/v1/silences/x"));
        assertEquals(Role.ADMIN, Role.required("PUT", "/api/v1/inventory"));
        assertEquals(Role.ADMIN, Role.required("GET", "/api/v1/receivers"));
        assertEquals(Role.ADMIN, Role.required("POST", "/api/v1/receivers/x/test"));
        assertEquals(Role.ADMIN, Role.required("POST", "/api/v1/sim/scenarios/circuit-cut"));
        assertEquals(Role.VIEWER, Role.required("GET", "/api/v1/sim/scenarios"));
    }

    @Test
    void rolesIncludeTheLesserOnes() {
        assertTrue(Role.ADMIN.includes(Role.RESPONDER));
        assertTrue(Role.RESPONDER.includes(Role.VIEWER));
        assertFalse(Role.VIEWER.includes(Role.RESPONDER));
        assertFalse(Role.RESPONDER.includes(Role.ADMIN));
        assertEquals(Role.RESPONDER, Role.fromWire(" Responder "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Role.fromWire("root")).getMessage()
                .contains("viewer, responder or admin"));
    }
}
