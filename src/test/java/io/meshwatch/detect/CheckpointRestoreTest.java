package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.restoredSession;
import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.detect.Twins.Twin;
import io.meshwatch.event.BgpState;
import io.meshwatch.network.BgpSession;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint and restore ({@link DetectionEngine#checkpoint()}, {@link DetectionEngine#restore}): for
 * varied histories of the test network, an engine checkpointed before any step, the state encoded and
 * decoded and restored into a fresh engine, goes on exactly as the original: the same signals,
 * incidents and measurements in the same order, the same read models, the same state at the end.
 * Every cut of every history is tried.
 */
class CheckpointRestoreTest {

    private static final DetectionSettings DEFAULTS = DetectionSettings.defaults();

    /** A cut of the Direct Connect, the failover to the internet backup, the repair and the failback. */
    static Script cutAndRepair() {
        return Script.steady("cut and repair of dx-ash-use1")
                .at(10).iface(CX, "eth1", "down")
                .at(10.5).tunnel(PRIMARY, "down", null)
                .at(13).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR)
                .at(14).bestVia(CX, VPCS, INET_PEER).bestVia(CX, SHARED, INET_PEER).bestVia(CX, PRIVATELINK, INET_PEER)
                .at(20).tick()
                .at(60).iface(CX, "eth1", "up").tunnel(PRIMARY, "up", null)
                .at(61).sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR)
                .at(62).bestVia(CX, VPCS, DX_PEER).bestVia(CX, SHARED, DX_PEER).bestVia(CX, PRIVATELINK, DX_PEER)
                .tickAfter(5)
                .at(80).tick();
    }

    @Test
    void aCutAndItsRepair() {
        Twins.everyCut(cutAndRepair(), DEFAULTS);
    }

    @Test
    void aFailoverKnownOnlyByAHoldTimerAndEvidenceArrivingLate() {
        Twins.everyCut(Script.steady("hold-timer expiry, then late interface evidence")
                .at(1).sessionUpHold(CX, DX_PEER, 9)
                .at(20).holdTimerExpired(CX, DX_PEER)
                .at(20).bestVia(CX, VPCS, INET_PEER)
                .at(21).eventAt(12).iface(CX, "eth1", "down")
                .at(22).tunnel(PRIMARY, "down", null)
                .at(23).bestVia(CX, SHARED, INET_PEER)
                .at(50).iface(CX, "eth1", "up").tunnel(PRIMARY, "up", null).sessionUpHold(CX, DX_PEER, 9)
                .at(51).bestVia(CX, VPCS, DX_PEER).bestVia(CX, SHARED, DX_PEER)
                .tickAfter(5), DEFAULTS);
    }

    @Test
    void aBoundedFailoverCompletedByTheFlushThenNarrowedByProbes() {
        // hold-timer expiry dates the failure in [11, 14]; the close's flush completes it (the router's
        // own path selection allowed for); probe rounds seen later narrow the start to [12, 13.5]
        Twins.everyCut(Script.steady("bounded failover, flush, narrowed by probes")
                .at(1).sessionUpHold(CX, DX_PEER, 9)
                .at(5).probe(DX, 2, 0.5, 0)
                .at(20).holdTimerExpired(CX, DX_PEER)
                .at(20).bestVia(CX, VPCS, INET_PEER)
                .at(21).eventAt(12).probe(DX, 2, 0.5, 0)
                .at(21).eventAt(13.5).probe(DX, 2, 0.5, 100)
                .at(21).eventAt(14.5).probe(DX, 2, 0.5, 100)
                .at(21).eventAt(15.5).probe(DX, 2, 0.5, 100)
                .at(22).eventAt(22).tunnel(PRIMARY, "down", null)
                .at(50).probe(DX, 2, 0.5, 0).sessionUpHold(CX, DX_PEER, 9).tunnel(PRIMARY, "up", null)
                .at(51).bestVia(CX, VPCS, DX_PEER)
                .tickAfter(5), DEFAULTS);
    }

    @Test
    void aSlowFailoverCompletedByTrafficAndItsFailback() {
        Twins.everyCut(Script.steady("slow failover, traffic, failback by traffic")
                .at(10).tunnel(PRIMARY, "down", null)
                .at(25).tick()
                .at(41).tick()
                .at(45).tunnel(BACKUP, "up", 100_000L)
                .at(90).tunnel(PRIMARY, "up", 0L)
                .at(95).tunnel(PRIMARY, "up", 200_000L)
                .at(100).tick(), DEFAULTS);
    }

    @Test
    void anAbandonedFailoverAndAFailbackInterrupted() {
        Twins.everyCut(Script.steady("abandoned failover, interrupted failback")
                .at(10).tunnel(PRIMARY, "down", null)
                .at(12).tunnel(PRIMARY, "up", null)
                .at(20).tunnel(PRIMARY, "down", null)
                .at(22).bestVia(CX, VPCS, INET_PEER)
                .at(30).tunnel(PRIMARY, "up", 0L)
                .at(31).tunnel(PRIMARY, "down", null)
                .at(40).tunnel(PRIMARY, "up", null)
                .at(41).bestVia(CX, VPCS, DX_PEER)
                .at(60).tick(), DEFAULTS);
    }

    @Test
    void aGroupAllDownWithItsResolutionHeld() {
        Twins.everyCut(Script.steady("group all down, held resolution refined, then resolved")
                .at(10).tunnel(AZ_PRIMARY, "down", null)
                .at(11).tunnel(AZ_BACKUP, "down", null)
                .at(20).tunnel(AZ_BACKUP, "up", null)
                .at(22).tunnel(AZ_BACKUP, "down", null)
                .at(30).tunnel(AZ_BACKUP, "up", null)
                .at(33).tick()
                .at(35).tick()
                .at(60).tunnel(AZ_PRIMARY, "up", null)
                .at(61).bestVia(CX, VNETS, ER_PEER, AZURE_AS), DEFAULTS);
    }

    @Test
    void aFlappingSessionItsQuietPeriodAndARealOutageAfter() {
        DetectionSettings settings = DEFAULTS.withFlapping(4, Duration.ofMinutes(5), Duration.ofMinutes(1));
        Twins.everyCut(Script.steady("flapping, quiet, then down")
                .at(10).sessionDown(CX, IC_PEER, GCP_AS)
                .at(12).sessionUp(CX, IC_PEER, GCP_AS)
                .at(14).sessionDown(CX, IC_PEER, GCP_AS)
                .at(16).sessionUp(CX, IC_PEER, GCP_AS)
                .at(18).sessionDown(CX, IC_PEER, GCP_AS)
                .at(30).tick()
                .at(80).tick()
                .at(100).sessionUp(CX, IC_PEER, GCP_AS)
                .tickAfter(5), settings);
    }

    @Test
    void downDwellsPendingAndFiring() {
        DetectionSettings settings = DEFAULTS.withSessionDownDwell(Duration.ofSeconds(10));
        Twins.everyCut(Script.steady("down dwells")
                .at(5).sessionUp(CX, "192.0.2.1", 65100).sessionUp(CX, "192.0.2.2", 65100)
                .at(10).sessionDown(CX, "192.0.2.1", 65100)
                .at(15).sessionUp(CX, "192.0.2.1", 65100)
                .at(30).sessionDown(CX, "192.0.2.1", 65100)
                .at(41).tick()
                .at(42).sessionDown(CX, "192.0.2.2", 65100)
                .at(53).tick()
                .at(60).sessionUp(CX, "192.0.2.1", 65100).sessionUp(CX, "192.0.2.2", 65100), settings);
    }

    @Test
    void aDegradationUnderItsDwellAndProbeLoss() {
        Twins.everyCut(Script.steady("degradation and probe loss on ic-ash-gcp")
                .at(10).probe(IC, 25, 1, 0)
                .at(20).probe(IC, 25, 1, 0)
                .at(30).probe(IC, 26, 1, 0)
                .at(40).probe(IC, 27, 1, 0)
                .at(50).probe(IC, 9, 1, 0)
                .at(60).probe(IC, 5, 1, 0)
                .at(70).retransmits(CX, IC, 1000, 50)
                .at(80).retransmits(CX, IC, 1000, 1)
                .at(85).retransmits(CX, IC, 1000, 60)
                .at(90).probe(IC, 5, 1, 100)
                .at(100).probe(IC, 5, 1, 100)
                .at(110).probe(IC, 5, 1, 100)
                .at(120).probe(IC, 5, 1, 0)
                .tickAfter(5)
                .at(130).counters(CX, "eth3", 1000, 2000), DEFAULTS);
    }

    @Test
    void overlayProbesThenTheUnderlaySpeaks() {
        Twins.everyCut(Script.steady("tunnel probes, then circuit probes")
                .at(10).tunnelProbe(PRIMARY, 5, 1, 0)
                .at(20).tunnelProbe(PRIMARY, 5, 1, 100)
                .at(30).tunnelProbe(PRIMARY, 5, 1, 100)
                .at(40).tunnelProbe(PRIMARY, 5, 1, 100)
                .at(60).probe(DX, 2, 0.5, 0)
                .at(61).probe(DX, 2, 0.5, 0)
                .at(62).tunnelProbe(PRIMARY, 5, 1, 100)
                .tickAfter(5)
                .at(100).bestVia(CX, VPCS, DX_PEER), DEFAULTS);
    }

    @Test
    void prefixDebouncesPendingFiringAndCancelled() {
        Twins.everyCut(Script.steady("prefix debounces")
                .at(10).withdrawn(CX, VPCS)
                .at(11).bestVia(CX, VPCS, DX_PEER)
                .at(20).withdrawn(CX, SHARED)
                .at(20.5).withdrawn(CX, PRIVATELINK)
                .at(24).tick()
                .at(30).bestVia(CX, SHARED, DX_PEER)
                .at(31).withdrawn(CX, VNETS)
                .at(40).bestVia(CX, PRIVATELINK, DX_PEER)
                .at(41).bestVia(CX, VNETS, ER_PEER, AZURE_AS), DEFAULTS);
    }

    @Test
    void anyPrefixModeAtItsCap() {
        DetectionSettings settings = DEFAULTS.withAnyPrefix(true, Severity.MINOR, 2);
        Twins.everyCut(Script.steady("any-prefix losses at the cap")
                .at(10).bestVia(CX, "192.168.1.0/24", IC_PEER, GCP_AS).bestVia(CX, "192.168.2.0/24", IC_PEER, GCP_AS)
                .bestVia(CX, "192.168.3.0/24", IC_PEER, GCP_AS)
                .at(11).withdrawn(CX, "192.168.1.0/24").withdrawn(CX, "192.168.2.0/24").withdrawn(CX, "192.168.3.0/24")
                .at(15).tick()
                .at(20).bestVia(CX, "192.168.1.0/24", IC_PEER, GCP_AS)
                .at(21).bestVia(CX, "192.168.3.0/24", IC_PEER, GCP_AS)
                .at(22).withdrawn(CX, "192.168.3.0/24")
                .at(30).tick(), settings);
    }

    @Test
    void aJoiningNetworkConvergingGroupsAndSessionsComingUpAgain() {
        Twins.everyCut(new Script("joining, settling, rejoining").inventory(inventory()).at(0)
                .session(CX, DX_PEER, AWS_AS, BgpState.IDLE, null)
                .at(1).sessionUp(CX, INET_PEER).bestVia(CX, VPCS, INET_PEER)
                .at(5).tick()
                .at(31).tick()
                .at(40).sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).tunnel(PRIMARY, "up", null)
                .at(41).bestVia(CX, VPCS, DX_PEER)
                .at(50).bestVia(CX, SHARED, INET_PEER)
                .at(51).bestVia(CX, SHARED, DX_PEER)
                .at(100).comingUp(CX, DX_PEER)
                .at(110).comingUp(CX, INET_PEER)
                .at(115).sessionUp(CX, INET_PEER)
                .at(131).tick()
                .at(132).bestVia(CX, VPCS, INET_PEER)
                .at(140).sessionUp(CX, DX_PEER)
                .at(141).bestVia(CX, VPCS, DX_PEER), DEFAULTS);
    }

    @Test
    void incidentsWithChildrenAndMerges() {
        Twins.everyCut(Script.steady("a session, then its group, then its circuit: merges")
                .at(10).sessionDown(CX, DX_PEER)
                .at(11).bestVia(CX, VPCS, INET_PEER)
                .at(12).sessionDown(TR, DX_PEER_TR)
                .at(13).bestVia(CX, SHARED, INET_PEER)
                .at(14).iface(CX, "eth1", "down")
                .at(15).withdrawn(CX, PRIVATELINK)
                .at(19).tick()
                .at(40).iface(CX, "eth1", "up").sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR)
                .at(41).bestVia(CX, VPCS, DX_PEER).bestVia(CX, SHARED, DX_PEER).bestVia(CX, PRIVATELINK, DX_PEER)
                .tickAfter(5)
                .at(400).sessionDown(CX, IC_PEER, GCP_AS)
                .at(401).sessionUp(CX, IC_PEER, GCP_AS)
                .tickAfter(5), DEFAULTS);
    }

    @Test
    void seededSessionsUnmatchedInputsAndAnInventoryChange() {
        Inventory inv = inventory();
        Inventory withoutGcp = new Inventory(inv.routers(),
                inv.circuits().stream().filter(c -> !c.id().equals(IC)).toList(), inv.tunnelGroups(), inv.prefixes());
        Twins.everyCut(new Script("seeded, unmatched, inventory change").inventory(inv).at(0)
                .seed(RestoreDetectionTest.network(DX_PEER_TR))
                .at(1).tunnel("vpn-nowhere", "down", null).probe("dx-nowhere", 1, 1, 0)
                .at(5).sessionDown(CX, DX_PEER)
                .at(8).bestVia(CX, VPCS, INET_PEER)
                .at(10).probe(IC, 25, 1, 0)
                .at(41).probe(IC, 25, 1, 0)
                .at(50).inventory(withoutGcp)
                .at(51).probe(IC, 25, 1, 0)
                .at(60).sessionUp(TR, DX_PEER_TR).sessionUp(CX, DX_PEER)
                .at(61).bestVia(CX, VPCS, DX_PEER)
                .at(70).inventory(inv)
                .at(71).probe(IC, 25, 1, 0)
                .at(110).tick(), DEFAULTS);
    }

    @Test
    void restoringEmitsNothingEvenWithTimersAlreadyDue() {
        // a failover in progress, a prefix debounce, a held resolution and open incidents at the checkpoint
        Script s = Script.steady("busy")
                .at(10).iface(CX, "eth1", "down")
                .at(11).withdrawn(CX, VNETS)
                .at(12).tunnel(AZ_PRIMARY, "down", null).tunnel(AZ_BACKUP, "down", null)
                .at(13).tunnel(AZ_BACKUP, "up", null);
        Twin original = Twins.play(s, DEFAULTS);
        EngineState state = original.engine.checkpoint();
        assertFalse(state.signals().firing().isEmpty());
        assertFalse(state.signals().held().isEmpty(), "IpsecTunnelGroupDown waits out its hold-down");
        assertFalse(state.prefixes().debounce().isEmpty());
        assertFalse(state.failovers().slow().isEmpty());
        assertFalse(state.incidents().live().isEmpty());

        // the new owner starts 5 minutes later: every timer is due, none fires at the restore
        Twin twin = new Twin(t(300));
        twin.engine = DetectionEngine.restore(twin.clock, DEFAULTS, twin, inventory(),
                Twins.CODEC.decode(Twins.CODEC.encode(state)));
        assertEquals(List.of(), twin.out, "nothing emitted by the restore");
        assertEquals(original.engine.nextDeadline(), twin.engine.nextDeadline());
        assertEquals(original.engine.firing(), twin.engine.firing());
        assertEquals(original.engine.incidents(), twin.engine.incidents());

        // the first call fires them, as the original's would at that time
        original.clock.set(t(300));
        original.engine.tick();
        twin.engine.tick();
        assertFalse(original.out.isEmpty());
        Twins.assertSameOutput(original.out.subList(original.out.size() - twin.out.size(), original.out.size()),
                twin.out, "the first tick after the restore");
        Twins.assertSameReadModels(original.engine, twin.engine, "after the first tick");
    }

    @Test
    void aFailoverInProgressAtTheCheckpointIsMeasuredFromItsTrueStart() {
        Twin original = Twins.play(Script.steady("failover in progress")
                .at(10).iface(CX, "eth1", "down")
                .at(11).tunnel(PRIMARY, "down", null), DEFAULTS);
        EngineState state = original.engine.checkpoint();
        assertEquals(GroupPhase.FAILING_OVER, original.engine.tunnelGroup(GROUP).orElseThrow().phase());

        // taken over 20 s later; the facts after the checkpoint are replayed: the backup's route at 16 s
        Twin twin = new Twin(t(31));
        twin.engine = DetectionEngine.restore(twin.clock, DEFAULTS, twin, inventory(),
                Twins.CODEC.decode(Twins.CODEC.encode(state)));
        TunnelGroupView before = twin.engine.tunnelGroup(GROUP).orElseThrow();
        assertEquals(GroupPhase.FAILING_OVER, before.phase());
        assertEquals(t(10), before.inProgress().start(), "the failover started when the interface went down");
        twin.engine.routeDeltas(CX, List.of(delta(VPCS, DX_PEER, INET_PEER)), t(16));

        Signal failover = twin.out.stream().filter(o -> o instanceof Signal x && x.type() == SignalType.IPSEC_FAILOVER)
                .map(Signal.class::cast).findFirst().orElseThrow();
        assertEquals("6.0", failover.annotation("failover_seconds"), "16 s - 10 s, not from the take-over");
        assertEquals("interface", failover.annotation("failover_clock"));
        assertEquals(t(10).toString(), failover.annotation("failover_started"));
        Switchover last = twin.engine.tunnelGroup(GROUP).orElseThrow().lastFailover();
        assertEquals(t(10), last.start());
        assertEquals(Duration.ofSeconds(6), last.duration());
        RecordingListener.Measured m = twin.out.stream().filter(o -> o instanceof RecordingListener.Measured).map(RecordingListener.Measured.class::cast)
                .findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(6), m.switchover().duration(), "the metric too");
        assertTrue(twin.out.stream().noneMatch(o -> o instanceof Signal x && x.type() == SignalType.IPSEC_FAILOVER_SLOW),
                "within its objective");
    }

    @Test
    void aFiringSignalWhoseConditionPersistsIsNeitherResolvedNorRaisedAgain() {
        Twin original = Twins.play(Script.steady("outage under way")
                .at(10).iface(CX, "eth1", "down").tunnel(PRIMARY, "down", null)
                .at(13).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR)
                .at(14).bestVia(CX, VPCS, INET_PEER), DEFAULTS);
        EngineState state = original.engine.checkpoint();
        List<String> firing = original.engine.firing().stream().map(Signal::fingerprint).sorted().toList();
        assertTrue(firing.size() >= 5, "CircuitDown, 2 BgpSessionDown, IpsecFailover, BestPathOnBackup: "
                + original.engine.firing());

        Twin twin = new Twin(t(40));
        twin.engine = DetectionEngine.restore(twin.clock, DEFAULTS, twin, inventory(),
                Twins.CODEC.decode(Twins.CODEC.encode(state)));
        // the facts restate the outage: telemetry and BGP say the same again
        twin.engine.event(new io.meshwatch.event.InterfaceStateEvent(CX, t(40), "eth1", "down", "up"));
        twin.engine.event(new io.meshwatch.event.TunnelStateEvent(CX, t(40), PRIMARY, "down", "ike", null, null));
        twin.engine.session(reported(CX, DX_PEER, BgpState.IDLE, t(13), t(40), "Hold timer expired"));
        twin.clock.set(t(60));
        twin.engine.tick();
        assertEquals(List.of(), twin.out, "nothing resolved, nothing raised again");
        assertEquals(firing, twin.engine.firing().stream().map(Signal::fingerprint).sorted().toList());

        // the condition clears: each resolves once
        twin.clock.set(t(70));
        twin.engine.event(new io.meshwatch.event.InterfaceStateEvent(CX, t(70), "eth1", "up", "up"));
        twin.engine.event(new io.meshwatch.event.TunnelStateEvent(CX, t(70), PRIMARY, "up", "ike", null, null));
        twin.engine.session(reported(CX, DX_PEER, BgpState.ESTABLISHED, t(70), t(70), null));
        twin.engine.session(reported(TR, DX_PEER_TR, BgpState.ESTABLISHED, t(70), t(70), null));
        twin.engine.routeDeltas(CX, List.of(delta(VPCS, INET_PEER, DX_PEER)), t(71));
        twin.clock.set(t(80));
        twin.engine.tick();
        Map<String, Long> raised = count(twin.out, SignalStatus.FIRING);
        Map<String, Long> resolved = count(twin.out, SignalStatus.RESOLVED);
        assertEquals(Map.of(), raised, "nothing raised again");
        assertEquals(firing, List.copyOf(resolved.keySet()), "every firing signal resolved");
        resolved.forEach((fp, n) -> assertEquals(1L, n, "resolved once: " + fp));
        assertTrue(twin.engine.firing().isEmpty());
        assertTrue(twin.engine.incidents().stream().noneMatch(Incident::isOpen), "the incident resolved");
        assertEquals(1, twin.engine.incidents().stream().filter(i -> i.status() == IncidentStatus.RESOLVED).count());
    }

    @Test
    void aStateOfAnotherVersionIsNotRestored() {
        EngineState state = Twins.play(cutAndRepair(), DEFAULTS).engine.checkpoint();
        EngineState other = new EngineState(EngineState.CURRENT_VERSION + 1, state.takenAt(), state.unmatchedEvents(),
                state.signals(), state.sessions(), state.circuits(), state.failovers(), state.prefixes(),
                state.incidents(), state.feeds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectionEngine.restore(
                Clock0.at(state.takenAt()), DEFAULTS, DetectionListener.none(), inventory(), other));
        assertTrue(e.getMessage().contains("version " + (EngineState.CURRENT_VERSION + 1)), e.getMessage());
    }

    @Test
    void aStateThatDoesNotHoldTogetherIsRefusedWithAnIllegalArgument() {
        EngineState state = Twins.play(Script.steady("an open incident").at(10).iface(CX, "eth1", "down"), DEFAULTS)
                .engine.checkpoint();
        EngineState.Incidents inc = state.incidents();
        Map<String, Integer> broken = new TreeMap<>(inc.byFingerprint());
        broken.replaceAll((fp, i) -> 99);
        EngineState bad = new EngineState(state.version(), state.takenAt(), state.unmatchedEvents(), state.signals(),
                state.sessions(), state.circuits(), state.failovers(), state.prefixes(),
                new EngineState.Incidents(inc.live(), broken, inc.inhibited(), inc.history()), state.feeds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectionEngine.restore(
                Clock0.at(state.takenAt()), DEFAULTS, DetectionListener.none(), inventory(), bad));
        assertTrue(e.getMessage().contains("cannot be restored"), e.getMessage());
    }

    @Test
    void theStateNamesInventoryObjectsByIdOnly() {
        EngineState state = Twins.play(cutAndRepair(), DEFAULTS).engine.checkpoint();
        String json = new String(Twins.CODEC.json(state), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(json.contains("remoteGateway"), "no tunnel record in the state");
        assertFalse(json.contains("\"thresholds\""), "no circuit record in the state");
        assertFalse(json.contains("\n"), "compact");
        assertNotNull(state.takenAt());
        assertNull(state.failovers().groups().stream().filter(g -> g.id().equals(GROUP)).findFirst().orElseThrow()
                .inProgress(), "repaired");
    }

    /** Prints (does not assert) the size of a state whose incident history is full, the largest it gets. */
    @Test
    void theEncodedSizeWithAFullIncidentHistory() {
        Script s = Script.steady("500 cuts");
        for (int i = 0; i < DEFAULTS.incidentHistory(); i++) {
            double t = 400.0 * i + 10;
            s.at(t).iface(CX, "eth1", "down").tunnel(PRIMARY, "down", null)
                    .at(t + 3).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR)
                    .at(t + 4).bestVia(CX, VPCS, INET_PEER).bestVia(CX, SHARED, INET_PEER)
                    .at(t + 60).iface(CX, "eth1", "up").tunnel(PRIMARY, "up", null)
                    .sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR)
                    .at(t + 61).bestVia(CX, VPCS, DX_PEER).bestVia(CX, SHARED, DX_PEER)
                    .tickAfter(5);
        }
        Twin engine = Twins.play(s, DEFAULTS);
        EngineState state = engine.engine.checkpoint();
        assertEquals(DEFAULTS.incidentHistory(), state.incidents().history().size());
        long t0 = 0;
        long t1 = 0;
        long t2 = 0;
        byte[] gz = null;
        long taken = 0;
        for (int warm = 0; warm < 5; warm++) {
            long c = System.nanoTime();
            engine.engine.checkpoint();
            taken = System.nanoTime() - c;
            t0 = System.nanoTime();
            gz = Twins.CODEC.encode(state);
            t1 = System.nanoTime();
            assertEquals(state, Twins.CODEC.decode(gz));
            t2 = System.nanoTime();
        }
        System.out.printf(java.util.Locale.ROOT, "test network state with a full incident history (%d incidents): "
                        + "%d bytes JSON, %d bytes gzipped (warm: checkpoint() %.2f ms, encode %.1f ms, decode %.1f ms)%n",
                state.incidents().history().size(), Twins.CODEC.json(state).length, gz.length, taken / 1e6,
                (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    private static Map<String, Long> count(List<Object> out, SignalStatus status) {
        Map<String, Long> m = new TreeMap<>();
        for (Object o : out) {
            if (o instanceof Signal s && !s.update() && s.status() == status) {
                m.merge(s.fingerprint(), 1L, Long::sum);
            }
        }
        return m;
    }

    private static io.meshwatch.routing.RouteDelta delta(String prefix, String fromPeer, String toPeer) {
        return new io.meshwatch.routing.RouteDelta("", io.meshwatch.routing.Prefix.parse(prefix), path(fromPeer),
                path(toPeer), io.meshwatch.routing.BestPathReason.LOCAL_PREF);
    }

    private static io.meshwatch.routing.Path path(String peer) {
        io.meshwatch.routing.IpAddress a = io.meshwatch.routing.IpAddress.parse(peer);
        return new io.meshwatch.routing.Path(new io.meshwatch.routing.Peer("", a, (int) AWS_AS, a.ipv4Value()), 0,
                io.meshwatch.routing.PathAttributes.builder().asPath(io.meshwatch.routing.AsPath.sequence((int) AWS_AS))
                        .nextHop(a).build());
    }

    /** A fixed clock. */
    private static final class Clock0 {
        static java.time.Clock at(Instant t) {
            return java.time.Clock.fixed(t, java.time.ZoneOffset.UTC);
        }
    }

    /** A session as the shard stage reports it (once dropped since it was first seen). */
    private static BgpSession reported(String router, String peer, BgpState state, Instant since, Instant lastEvent,
                                       String reason) {
        return new BgpSession(router, "default", peer, AWS_AS, 65010L, state, since, lastEvent, 1, reason, lastEvent);
    }
}
