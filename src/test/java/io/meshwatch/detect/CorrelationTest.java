package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelationTest {

    @Test
    void anIncidentsIdComesFromItsRootAndTheRoutersTimeNotTheEnginesClock() {
        // a detection owner replaying facts after a take-over sees the same cut later on its clock: the
        // incident it opens is the one stored, by id
        Scenario first = Scenario.steady();
        first.at(100).iface(CX, "eth1", "down");
        Scenario replay = Scenario.steady();
        replay.at(130).eventAt(100).iface(CX, "eth1", "down");
        String id = first.fired(SignalType.CIRCUIT_DOWN).incidentId();
        assertEquals(id, replay.fired(SignalType.CIRCUIT_DOWN).incidentId());
        Scenario other = Scenario.steady();
        other.at(101).iface(CX, "eth1", "down");
        assertNotEquals(id, other.fired(SignalType.CIRCUIT_DOWN).incidentId(), "another cut is another incident");
    }

    @Test
    void circuitCutIsOneIncidentWithInhibitedChildren() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down");
        Signal root = s.fired(SignalType.CIRCUIT_DOWN);
        assertFalse(root.inhibited());
        String id = root.incidentId();

        s.at(101).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR);
        Signal cxDown = s.fired(SignalType.BGP_SESSION_DOWN, "router", CX);
        Signal trDown = s.fired(SignalType.BGP_SESSION_DOWN, "router", TR);
        s.silent();
        for (Signal child : List.of(cxDown, trDown)) {
            assertTrue(child.inhibited(), child.labels().toString());
            assertEquals(id, child.incidentId());
        }

        s.at(112.4).bestVia(CX, VPCS, INET_PEER).bestVia(CX, PRIVATELINK, INET_PEER).bestVia(CX, SHARED, INET_PEER);
        Signal failover = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("12.4", failover.annotation("failover_seconds"));
        assertEquals("circuit dx-ash-use1 down", failover.annotation("cause"));
        List<Signal> moved = List.of(s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS),
                s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", PRIVATELINK),
                s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", SHARED));
        s.silent();
        assertTrue(failover.inhibited());
        assertEquals(id, failover.incidentId());
        moved.forEach(m -> assertTrue(m.inhibited() && m.incidentId().equals(id), m.labels().toString()));

        Incident inc = s.incident(id);
        assertEquals(IncidentStatus.OPEN, inc.status());
        assertEquals("Circuit dx-ash-use1 down: 2 sessions down, vpn-ash-use1 failed over to vpn-ash-use1-inet in 12.4 s,"
                + " 3 prefixes moved", inc.title());
        assertEquals(root.fingerprint(), inc.root().fingerprint());
        assertEquals(6, inc.children().size());
        assertEquals(List.of("cx-ash default 169.254.10.2", "tr-use1 default 169.254.10.1"), inc.impact().sessionsDown());
        assertEquals(List.of(GROUP), inc.impact().tunnelGroupsFailedOver());
        assertEquals(3, inc.impact().prefixesMoved().size());
        assertEquals(List.of(), inc.impact().prefixesUnreachable());
        assertEquals(Severity.MAJOR, cxDown.severity(), "cx-ash still has its backup tunnel");
        assertEquals(Severity.MAJOR, trDown.severity(), "the group whose primary rides the circuit has its backup up");
        assertEquals(Severity.MAJOR, inc.severity(), "the worst of its signals");
        assertEquals(t(100), inc.openedAt());
        assertEquals(7, inc.timeline().size());
        assertTrue(inc.timeline().get(0).what().startsWith("CircuitDown firing: Circuit dx-ash-use1"),
                inc.timeline().get(0).what());
        assertTrue(inc.timeline().get(1).what().endsWith("(inhibited)"));
        assertEquals(1, s.engine.incidents().size());

        // repair: the interface comes back, the sessions re-establish, traffic fails back
        s.at(400).iface(CX, "eth1", "up").silent();
        assertEquals(CircuitState.DOWN, s.circuit(DX).state(), "both sessions still down");
        s.at(401).sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).heldDown();
        s.resolved(SignalType.CIRCUIT_DOWN);
        s.resolved(SignalType.BGP_SESSION_DOWN, "router", CX);
        s.resolved(SignalType.BGP_SESSION_DOWN, "router", TR);
        s.silent();
        assertEquals(IncidentStatus.OPEN, s.incident(id).status(), "children still fire");
        s.at(405).bestVia(CX, VPCS, DX_PEER).bestVia(CX, PRIVATELINK, DX_PEER);
        assertEquals("4.0", s.resolved(SignalType.IPSEC_FAILOVER).annotation("failback_seconds"));
        s.resolved(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        s.resolved(SignalType.BEST_PATH_ON_BACKUP, "prefix", PRIVATELINK);
        s.silent();
        assertEquals(IncidentStatus.OPEN, s.incident(id).status(), "one prefix still on the backup");
        s.at(406).bestVia(CX, SHARED, DX_PEER).resolved(SignalType.BEST_PATH_ON_BACKUP);
        Incident done = s.incident(id);
        assertEquals(IncidentStatus.RESOLVED, done.status());
        assertEquals(t(406), done.resolvedAt());
        assertEquals("Incident resolved: root and every child resolved",
                done.timeline().get(done.timeline().size() - 1).what());
        assertTrue(s.engine.incidents().stream().noneMatch(Incident::isOpen));
    }

    @Test
    void childThatFiredBeforeItsRootIsReparented() {
        Scenario s = Scenario.steady();
        s.at(100).sessionDown(CX, DX_PEER);
        Signal early = s.fired(SignalType.BGP_SESSION_DOWN);
        assertFalse(early.inhibited());
        String first = early.incidentId();

        s.at(102).iface(CX, "eth1", "down");
        Signal root = s.fired(SignalType.CIRCUIT_DOWN);
        s.silent();
        assertNotEquals(first, root.incidentId());
        Signal moved = s.lastUpdate(SignalType.BGP_SESSION_DOWN);
        assertTrue(moved.inhibited());
        assertEquals(root.incidentId(), moved.incidentId());
        assertEquals(early.raisedAt(), moved.raisedAt(), "the same signal, re-stated");

        Incident merged = s.incident(first);
        assertEquals(IncidentStatus.MERGED, merged.status());
        assertEquals(root.incidentId(), merged.mergedInto());
        Incident inc = s.incident(root.incidentId());
        assertEquals(1, inc.children().size());
        assertTrue(inc.children().get(0).inhibited());
        assertEquals("Circuit dx-ash-use1 down: 1 session down", inc.title());
        assertEquals(t(100), inc.timeline().get(0).time(), "the child's history moved along");
        assertEquals(List.of(inc), s.engine.incidents().stream().filter(Incident::isOpen).toList());
    }

    @Test
    void failoverWithoutCircuitCauseIsRootOfItsSessionDownAndPrefixMoves() {
        Scenario s = Scenario.steady();
        s.at(100).sessionDown(CX, DX_PEER);
        String first = s.fired(SignalType.BGP_SESSION_DOWN).incidentId();
        s.at(108).bestVia(CX, VPCS, INET_PEER);
        Signal failover = s.fired(SignalType.IPSEC_FAILOVER);
        Signal moved = s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertFalse(failover.inhibited(), "no circuit explains it: it is the root");
        assertTrue(moved.inhibited());
        assertEquals(failover.incidentId(), moved.incidentId());
        assertTrue(s.lastUpdate(SignalType.BGP_SESSION_DOWN).inhibited());
        assertEquals(IncidentStatus.MERGED, s.incident(first).status());
        Incident inc = s.incident(failover.incidentId());
        assertEquals("vpn-ash-use1 failed over to vpn-ash-use1-inet in 8.0 s: 1 session down, 1 prefix moved",
                inc.title());
        assertEquals(Severity.MAJOR, inc.severity(), "the session down was MAJOR (backup up)");
    }

    @Test
    void slowAndGroupDownJoinTheFailoverIncidentWithoutBeingInhibited() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).at(130).tick();
        Signal slow = s.fired(SignalType.IPSEC_FAILOVER_SLOW);
        assertFalse(slow.inhibited());
        s.at(131).tunnelDown(BACKUP);
        Signal down = s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.silent();
        assertFalse(down.inhibited(), "a group's own signals carry news of their own");
        assertEquals(slow.incidentId(), down.incidentId());
        Incident inc = s.incident(slow.incidentId());
        assertEquals(Severity.CRITICAL, inc.severity());
        assertEquals("vpn-ash-use1 failover not complete after 30.0 s, vpn-ash-use1 all tunnels down", inc.title());
    }

    @Test
    void circuitCauseExplainsASlowFailoverAndGroupDownToo() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down");
        Signal root = s.fired(SignalType.CIRCUIT_DOWN);
        s.at(110).tunnelDown(BACKUP);
        Signal down = s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.at(130).tick();
        Signal slow = s.fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.silent();
        assertTrue(down.inhibited() && slow.inhibited());
        Incident inc = s.incident(root.incidentId());
        assertEquals(Severity.CRITICAL, inc.severity(), "the incident carries its worst child's severity");
        assertEquals("Circuit dx-ash-use1 down: vpn-ash-use1 failover not complete after 30.0 s,"
                + " vpn-ash-use1 all tunnels down", inc.title());
    }

    @Test
    void prefixLossOnTheCircuitsRoutersWithinTheWindowIsAChildOutsideItIsNot() {
        Scenario s = Scenario.steady();
        s.at(0).bestVia(CX, "10.1.50.0/24", DX_PEER);
        s.at(100).iface(CX, "eth1", "down");
        String id = s.fired(SignalType.CIRCUIT_DOWN).incidentId();
        s.at(105).bestVia(CX, VPCS, INET_PEER).drop();
        // VNETS via ExpressRoute lost on cx-ash: a router of dx-ash-use1, so correlated by router within 5 min
        s.at(397).withdrawn(CX, VNETS).at(400).tick();
        Signal within = s.fired(SignalType.PREFIX_UNREACHABLE);
        assertTrue(within.inhibited(), "started 297 s after the root");
        assertEquals(id, within.incidentId());
        s.at(398).bestVia(CX, VNETS, ER_PEER, AZURE_AS).resolved(SignalType.PREFIX_UNREACHABLE);
        s.at(401).withdrawn(CX, VNETS).at(404).tick();
        Signal outside = s.fired(SignalType.PREFIX_UNREACHABLE);
        assertFalse(outside.inhibited(), "started 301 s after the root");
        assertNotEquals(id, outside.incidentId());

        // the circuit incident closes; the prefix's new incident keeps its own state
        s.at(500).iface(CX, "eth1", "up").bestVia(CX, VPCS, DX_PEER).heldDown().drop();
        assertEquals(IncidentStatus.RESOLVED, s.incident(id).status());
        s.at(510).bestVia(CX, VNETS, ER_PEER, AZURE_AS);
        Signal back = s.resolved(SignalType.PREFIX_UNREACHABLE);
        assertEquals(outside.incidentId(), back.incidentId());
        assertFalse(back.inhibited());
        assertEquals(IncidentStatus.RESOLVED, s.incident(outside.incidentId()).status());
    }

    @Test
    void prefixLossOnTheFarEndRouterIsAChildButNotOnAnUnrelatedRouter() {
        Scenario s = Scenario.steady();
        s.at(0).bestVia(TR, VPCS, "10.0.0.9", 65002).bestVia("tr-euw1", VPCS, "10.0.0.10", 65001);
        s.at(100).iface(CX, "eth1", "down");
        String id = s.fired(SignalType.CIRCUIT_DOWN).incidentId();
        s.at(110).withdrawn(TR, VPCS).withdrawn("tr-euw1", VPCS).at(113).tick();
        Signal far = s.fired(SignalType.PREFIX_UNREACHABLE, "router", TR);
        Signal elsewhere = s.fired(SignalType.PREFIX_UNREACHABLE, "router", "tr-euw1");
        assertTrue(far.inhibited());
        assertEquals(id, far.incidentId(), "tr-use1 is the circuit's Z end");
        assertFalse(elsewhere.inhibited());
        assertNotEquals(id, elsewhere.incidentId());
        assertEquals("Circuit dx-ash-use1 down: 1 prefix unreachable", s.incident(id).title());
    }

    @Test
    void unrelatedSessionDownDuringACircuitIncidentIsItsOwnIncident() {
        Scenario s = Scenario.steady();
        s.at(0).sessionUp(TR, "10.0.0.9", 65002);
        s.at(100).iface(CX, "eth1", "down");
        String id = s.fired(SignalType.CIRCUIT_DOWN).incidentId();
        s.at(101).sessionDown(TR, "10.0.0.9", 65002);
        Signal other = s.fired(SignalType.BGP_SESSION_DOWN);
        assertFalse(other.inhibited());
        assertNotEquals(id, other.incidentId());
        Incident own = s.incident(other.incidentId());
        assertEquals(other.summary(), own.title(), "a lone signal's title is its summary");
        assertTrue(own.children().isEmpty());
    }

    @Test
    void aSignalFiringAgainWhileItsIncidentIsOpenRejoinsIt() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down");
        String id = s.fired(SignalType.CIRCUIT_DOWN).incidentId();
        s.at(101).sessionDown(TR, DX_PEER_TR).fired(SignalType.BGP_SESSION_DOWN);
        s.at(102).sessionUp(TR, DX_PEER_TR).resolved(SignalType.BGP_SESSION_DOWN);
        s.at(103).sessionDown(TR, DX_PEER_TR);
        Signal again = s.fired(SignalType.BGP_SESSION_DOWN);
        assertEquals(id, again.incidentId());
        assertTrue(again.inhibited());
        assertEquals(1, s.incident(id).children().size(), "one child per fingerprint");
    }

    @Test
    void incidentIdsAreStableAcrossSnapshots() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down").at(101).sessionDown(CX, DX_PEER).drop();
        List<Incident> snapshots = s.incidentEmissions.stream().filter(i -> i.root().type() == SignalType.CIRCUIT_DOWN)
                .toList();
        assertEquals(2, snapshots.size(), "one emission per engine call that changed it");
        assertEquals(snapshots.get(0).id(), snapshots.get(1).id());
        assertTrue(snapshots.get(0).id().matches("inc-[0-9a-f]{12}"), snapshots.get(0).id());
        assertNull(snapshots.get(1).resolvedAt());
    }
}
