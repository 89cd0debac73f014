package io.meshwatch.detect;

import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link EngineStateCodec}: exact round trips, compact output, and what it refuses. */
class EngineStateCodecTest {

    private final EngineStateCodec codec = new EngineStateCodec();

    /** A state with something in every part: an outage under way with incidents, timers and held resolutions. */
    static EngineState busy() {
        return Twins.play(Script.steady("busy")
                .at(1).sessionUpHold(CX, DX_PEER, 9)
                .at(10).holdTimerExpired(CX, DX_PEER)
                .at(10.2).bestVia(CX, VPCS, INET_PEER)
                .at(11).iface(CX, "eth1", "down")
                .at(12).withdrawn(CX, VNETS)
                .at(12).probe(IC, 25, 1.25, 0.1)
                .at(13).tunnel(AZ_PRIMARY, "down", null).tunnel(AZ_BACKUP, "down", null)
                .at(14).tunnel(AZ_BACKUP, "up", null), DetectionSettings.defaults()).engine.checkpoint();
    }

    @Test
    void aStateComesBackEqualAndSmallerThanItsJson() {
        EngineState state = busy();
        assertFalse(state.signals().firing().isEmpty());
        assertFalse(state.signals().held().isEmpty());
        assertFalse(state.failovers().groups().isEmpty());
        assertTrue(state.circuits().circuits().stream().anyMatch(c -> c.probesOverSince() != null),
                "a degradation streak under way");
        assertFalse(state.prefixes().debounce().isEmpty());
        assertFalse(state.incidents().live().isEmpty());
        byte[] gz = codec.encode(state);
        byte[] json = codec.json(state);
        assertEquals(state, codec.decode(gz));
        assertEquals(state, codec.decode(json), "plain JSON is read too");
        assertTrue(gz.length < json.length / 3, gz.length + " bytes gzipped, " + json.length + " as JSON");
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"version\":2,"), text.substring(0, 40));
        assertFalse(text.contains("\n") || text.contains("\" : "), "no pretty printing");
        assertFalse(text.contains(":null"), "null fields left out");
        assertTrue(text.contains("\"takenAt\":\"2026-11-26T03:00:14Z\""), "instants as ISO-8601 text");
        assertFalse(text.contains("\"firing\":true") || text.contains("\"open\":true"),
                "only record components are written");
    }

    @Test
    void anUnknownVersionIsRefusedByName() {
        String json = new String(codec.json(busy()), StandardCharsets.UTF_8).replace("{\"version\":2,", "{\"version\":7,");
        EngineStateCodec.UnsupportedVersionException e = assertThrows(EngineStateCodec.UnsupportedVersionException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(7, e.version());
        assertTrue(e.getMessage().contains("version 7 is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("reads version 2"), e.getMessage());
        // the version is read before anything else: a later format is refused for its version, not its fields
        assertThrows(EngineStateCodec.UnsupportedVersionException.class,
                () -> codec.decode("{\"version\":3,\"somethingNew\":[1,2,3]}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new EngineState(3, busy().takenAt(), 0,
                busy().signals(), busy().sessions(), busy().circuits(), busy().failovers(), busy().prefixes(),
                busy().incidents(), busy().feeds())), "nor is another version written");
    }

    @Test
    void bytesThatAreNoStateAreRefusedWithAnIllegalArgument() {
        for (String bad : List.of("", "garbage", "[1,2]", "{}", "{\"version\":\"1\"}", "{\"version\":2}",
                "{\"version\":2,\"takenAt\":\"yesterday\"}", "{\"version\":2,\"unknownField\":3}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertFalse(e instanceof EngineStateCodec.UnsupportedVersionException, bad);
            assertTrue(e.getMessage().contains("state"), e.getMessage());
        }
        byte[] gz = codec.encode(busy());
        assertThrows(IllegalArgumentException.class, () -> codec.decode(Arrays.copyOf(gz, gz.length / 2)),
                "a truncated state");
    }

    /**
     * The stored format, pinned: every record component the state holds, with its type, and the enum
     * constants it may hold (written by name). A changed or removed component or constant makes older
     * checkpoints unreadable or misread: bump {@link EngineState#CURRENT_VERSION} and pin the new shape
     * here. A new enum constant reads older states as before and needs no new version.
     */
    @Test
    void theFormatIsPinnedToItsVersion() {
        assertEquals(2, EngineState.CURRENT_VERSION, "a new version: pin its shape below");
        Set<String> records = new TreeSet<>();
        Set<String> constants = new TreeSet<>();
        describe(EngineState.class, records, constants);
        assertEquals(String.join("\n", PINNED_RECORDS), String.join("\n", records),
                "the shape of EngineState changed: bump EngineState.CURRENT_VERSION and pin the new shape");
        Set<String> gone = new TreeSet<>(PINNED_CONSTANTS);
        gone.removeAll(constants);
        assertEquals(Set.of(), gone, "enum constants a stored state may name are gone: bump "
                + "EngineState.CURRENT_VERSION");
    }

    private static void describe(Type type, Set<String> records, Set<String> constants) {
        if (type instanceof ParameterizedType p) {
            describe(p.getRawType(), records, constants);
            for (Type a : p.getActualTypeArguments()) {
                describe(a, records, constants);
            }
            return;
        }
        if (!(type instanceof Class<?> c) || !c.getName().startsWith("io.meshwatch")) {
            return;
        }
        String name = c.getName().substring(c.getPackageName().length() + 1).replace('$', '.');
        if (c.isEnum()) {
            for (Object constant : c.getEnumConstants()) {
                constants.add(name + "." + ((Enum<?>) constant).name());
            }
            return;
        }
        if (!c.isRecord() || !records.add(name)) {
            return;
        }
        for (RecordComponent rc : c.getRecordComponents()) {
            records.add(name + "." + rc.getName() + ": " + rc.getGenericType().getTypeName()
                    .replaceAll("[a-z][a-z0-9]*\\.", "").replace('$', '.'));
            describe(rc.getGenericType(), records, constants);
        }
    }

    private static final List<String> PINNED_RECORDS = List.of(
            "CircuitView.Counters",
            "CircuitView.Counters.inErrors: Long",
            "CircuitView.Counters.inOctets: Long",
            "CircuitView.Counters.outErrors: Long",
            "CircuitView.Counters.outOctets: Long",
            "CircuitView.Counters.time: Instant",
            "CircuitView.Probe",
            "CircuitView.Probe.jitterMs: double",
            "CircuitView.Probe.latencyMs: double",
            "CircuitView.Probe.lossPct: double",
            "CircuitView.Probe.router: String",
            "CircuitView.Probe.target: String",
            "CircuitView.Probe.time: Instant",
            "EngineState",
            "EngineState.CircuitEntry",
            "EngineState.CircuitEntry.counters: CircuitView.Counters",
            "EngineState.CircuitEntry.degraded: boolean",
            "EngineState.CircuitEntry.down: boolean",
            "EngineState.CircuitEntry.downReasons: List<String>",
            "EngineState.CircuitEntry.heard: boolean",
            "EngineState.CircuitEntry.id: String",
            "EngineState.CircuitEntry.ifaceDown: Boolean",
            "EngineState.CircuitEntry.ifaceDownAt: Instant",
            "EngineState.CircuitEntry.ifaceStatus: String",
            "EngineState.CircuitEntry.overlay: EngineState.ProbeRounds",
            "EngineState.CircuitEntry.overlaySpeaks: boolean",
            "EngineState.CircuitEntry.probesOverSince: Instant",
            "EngineState.CircuitEntry.retransmitPct: Double",
            "EngineState.CircuitEntry.retransmitsOverSince: Instant",
            "EngineState.CircuitEntry.sessionsReason: boolean",
            "EngineState.CircuitEntry.since: Instant",
            "EngineState.CircuitEntry.state: CircuitState",
            "EngineState.CircuitEntry.underlay: EngineState.ProbeRounds",
            "EngineState.Circuits",
            "EngineState.Circuits.circuits: List<EngineState.CircuitEntry>",
            "EngineState.ExpectedItem",
            "EngineState.ExpectedItem.key: String",
            "EngineState.ExpectedItem.labels: Map<String, String>",
            "EngineState.ExpectedItem.since: Instant",
            "EngineState.Failovers",
            "EngineState.Failovers.groups: List<EngineState.GroupEntry>",
            "EngineState.Failovers.slow: List<EngineState.Timer<String>>",
            "EngineState.Failovers.tunnels: List<EngineState.TunnelEntry>",
            "EngineState.Feeds",
            "EngineState.Feeds.expected: List<EngineState.ExpectedItem>",
            "EngineState.Feeds.lastTelemetry: Map<String, Instant>",
            "EngineState.Feeds.lost: List<EngineState.LostFeed>",
            "EngineState.Feeds.neverUp: List<EngineState.Timer<String>>",
            "EngineState.Feeds.seenUp: List<String>",
            "EngineState.Feeds.settled: Instant",
            "EngineState.Feeds.silence: List<EngineState.Timer<String>>",
            "EngineState.GroupEntry",
            "EngineState.GroupEntry.allDown: boolean",
            "EngineState.GroupEntry.backupInUse: String",
            "EngineState.GroupEntry.baseline: Map<String, Long>",
            "EngineState.GroupEntry.flushed: boolean",
            "EngineState.GroupEntry.id: String",
            "EngineState.GroupEntry.inProgress: Switchover",
            "EngineState.GroupEntry.lastFailback: Switchover",
            "EngineState.GroupEntry.lastFailover: Switchover",
            "EngineState.GroupEntry.phase: GroupPhase",
            "EngineState.HeldResolution",
            "EngineState.HeldResolution.endedAt: Instant",
            "EngineState.HeldResolution.extra: Map<String, String>",
            "EngineState.HeldResolution.labels: Map<String, String>",
            "EngineState.HeldResolution.type: SignalType",
            "EngineState.IncidentEntry",
            "EngineState.IncidentEntry.children: List<Signal>",
            "EngineState.IncidentEntry.id: String",
            "EngineState.IncidentEntry.mergedInto: String",
            "EngineState.IncidentEntry.openedAt: Instant",
            "EngineState.IncidentEntry.resolvedAt: Instant",
            "EngineState.IncidentEntry.root: Signal",
            "EngineState.IncidentEntry.status: IncidentStatus",
            "EngineState.IncidentEntry.timeline: List<TimelineEntry>",
            "EngineState.IncidentEntry.worst: Severity",
            "EngineState.Incidents",
            "EngineState.Incidents.byFingerprint: Map<String, Integer>",
            "EngineState.Incidents.history: List<Incident>",
            "EngineState.Incidents.inhibited: Map<String, Boolean>",
            "EngineState.Incidents.live: List<EngineState.IncidentEntry>",
            "EngineState.LostFeed",
            "EngineState.LostFeed.feed: String",
            "EngineState.LostFeed.reason: String",
            "EngineState.LostFeed.router: String",
            "EngineState.LostFeed.since: Instant",
            "EngineState.PrefixKey",
            "EngineState.PrefixKey.prefix: String",
            "EngineState.PrefixKey.router: String",
            "EngineState.PrefixKey.vrf: String",
            "EngineState.PrefixTime",
            "EngineState.PrefixTime.at: Instant",
            "EngineState.PrefixTime.key: EngineState.PrefixKey",
            "EngineState.PrefixTunnel",
            "EngineState.PrefixTunnel.key: EngineState.PrefixKey",
            "EngineState.PrefixTunnel.tunnel: String",
            "EngineState.Prefixes",
            "EngineState.Prefixes.anyTracked: List<EngineState.PrefixKey>",
            "EngineState.Prefixes.debounce: List<EngineState.Timer<EngineState.PrefixKey>>",
            "EngineState.Prefixes.dropped: long",
            "EngineState.Prefixes.lostAt: List<EngineState.PrefixTime>",
            "EngineState.Prefixes.onBackup: List<EngineState.PrefixTunnel>",
            "EngineState.Prefixes.settle: List<EngineState.Timer<EngineState.PrefixKey>>",
            "EngineState.Prefixes.settling: List<EngineState.PrefixTime>",
            "EngineState.Prefixes.unreachable: List<EngineState.PrefixKey>",
            "EngineState.ProbeRounds",
            "EngineState.ProbeRounds.interval: Duration",
            "EngineState.ProbeRounds.lastAnswered: Instant",
            "EngineState.ProbeRounds.latest: CircuitView.Probe",
            "EngineState.ProbeRounds.lossRounds: int",
            "EngineState.ProbeRounds.streakStart: Instant",
            "EngineState.SessionEntry",
            "EngineState.SessionEntry.cause: DownCause",
            "EngineState.SessionEntry.everUp: boolean",
            "EngineState.SessionEntry.flapping: boolean",
            "EngineState.SessionEntry.flaps: long",
            "EngineState.SessionEntry.holdTime: Integer",
            "EngineState.SessionEntry.keepalive: Integer",
            "EngineState.SessionEntry.key: SessionKey",
            "EngineState.SessionEntry.lastEvent: Instant",
            "EngineState.SessionEntry.lastTransition: Instant",
            "EngineState.SessionEntry.peerAs: long",
            "EngineState.SessionEntry.reason: String",
            "EngineState.SessionEntry.since: Instant",
            "EngineState.SessionEntry.state: BgpState",
            "EngineState.SessionEntry.transitions: List<Instant>",
            "EngineState.SessionEntry.upSince: Instant",
            "EngineState.Sessions",
            "EngineState.Sessions.dwell: List<EngineState.Timer<SessionKey>>",
            "EngineState.Sessions.quiet: List<EngineState.Timer<SessionKey>>",
            "EngineState.Sessions.rejoin: List<EngineState.Timer<SessionKey>>",
            "EngineState.Sessions.sessions: List<EngineState.SessionEntry>",
            "EngineState.Signals",
            "EngineState.Signals.firing: List<Signal>",
            "EngineState.Signals.held: List<EngineState.HeldResolution>",
            "EngineState.Signals.holdDowns: List<EngineState.Timer<String>>",
            "EngineState.Timer",
            "EngineState.Timer.at: Instant",
            "EngineState.Timer.key: K",
            "EngineState.TunnelEntry",
            "EngineState.TunnelEntry.bytes: Long",
            "EngineState.TunnelEntry.id: String",
            "EngineState.TunnelEntry.reported: String",
            "EngineState.TunnelEntry.reportedDownAt: Instant",
            "EngineState.TunnelEntry.status: TunnelStatus",
            "EngineState.circuits: EngineState.Circuits",
            "EngineState.failovers: EngineState.Failovers",
            "EngineState.feeds: EngineState.Feeds",
            "EngineState.incidents: EngineState.Incidents",
            "EngineState.prefixes: EngineState.Prefixes",
            "EngineState.sessions: EngineState.Sessions",
            "EngineState.signals: EngineState.Signals",
            "EngineState.takenAt: Instant",
            "EngineState.unmatchedEvents: long",
            "EngineState.version: int",
            "Impact",
            "Impact.prefixesMoved: List<String>",
            "Impact.prefixesUnreachable: List<String>",
            "Impact.sessionsDown: List<String>",
            "Impact.tunnelGroupsFailedOver: List<String>",
            "Incident",
            "Incident.children: List<Signal>",
            "Incident.id: String",
            "Incident.impact: Impact",
            "Incident.mergedInto: String",
            "Incident.openedAt: Instant",
            "Incident.resolvedAt: Instant",
            "Incident.root: Signal",
            "Incident.severity: Severity",
            "Incident.status: IncidentStatus",
            "Incident.timeline: List<TimelineEntry>",
            "Incident.title: String",
            "SessionKey",
            "SessionKey.peer: String",
            "SessionKey.router: String",
            "SessionKey.vrf: String",
            "Signal",
            "Signal.annotations: SortedMap<String, String>",
            "Signal.endedAt: Instant",
            "Signal.incidentId: String",
            "Signal.inhibited: boolean",
            "Signal.labels: SortedMap<String, String>",
            "Signal.raisedAt: Instant",
            "Signal.resolvedAt: Instant",
            "Signal.severity: Severity",
            "Signal.startedAt: Instant",
            "Signal.status: SignalStatus",
            "Signal.summary: String",
            "Signal.type: SignalType",
            "Signal.update: boolean",
            "Switchover",
            "Switchover.cause: String",
            "Switchover.clock: String",
            "Switchover.completedBy: CompletedBy",
            "Switchover.duration: Duration",
            "Switchover.end: Instant",
            "Switchover.from: String",
            "Switchover.start: Instant",
            "Switchover.startLatest: Instant",
            "Switchover.to: String",
            "TimelineEntry",
            "TimelineEntry.time: Instant",
            "TimelineEntry.what: String");

    private static final List<String> PINNED_CONSTANTS = List.of(
            "BgpState.ACTIVE",
            "BgpState.CONNECT",
            "BgpState.ESTABLISHED",
            "BgpState.IDLE",
            "BgpState.OPENCONFIRM",
            "BgpState.OPENSENT",
            "CircuitState.DEGRADED",
            "CircuitState.DOWN",
            "CircuitState.UNKNOWN",
            "CircuitState.UP",
            "CompletedBy.ABANDONED",
            "CompletedBy.ROUTE",
            "CompletedBy.TRAFFIC",
            "DownCause.ADMINISTRATIVE",
            "DownCause.BFD_DOWN",
            "DownCause.COMING_UP",
            "DownCause.CONNECTION_CLOSED",
            "DownCause.HOLD_TIMER_EXPIRED",
            "DownCause.LOCAL_CLOSE",
            "DownCause.NOTIFICATION_RECEIVED",
            "DownCause.NOTIFICATION_SENT",
            "DownCause.OTHER",
            "GroupPhase.FAILING_BACK",
            "GroupPhase.FAILING_OVER",
            "GroupPhase.NORMAL",
            "GroupPhase.ON_BACKUP",
            "GroupPhase.UNKNOWN",
            "IncidentStatus.MERGED",
            "IncidentStatus.OPEN",
            "IncidentStatus.RESOLVED",
            "Severity.CRITICAL",
            "Severity.INFO",
            "Severity.MAJOR",
            "Severity.MINOR",
            "Severity.WARNING",
            "SignalStatus.FIRING",
            "SignalStatus.RESOLVED",
            "SignalType.BEST_PATH_ON_BACKUP",
            "SignalType.BGP_SESSION_DOWN",
            "SignalType.BGP_SESSION_FLAPPING",
            "SignalType.CIRCUIT_DEGRADED",
            "SignalType.CIRCUIT_DOWN",
            "SignalType.IPSEC_FAILOVER",
            "SignalType.IPSEC_FAILOVER_SLOW",
            "SignalType.IPSEC_TUNNEL_GROUP_DOWN",
            "SignalType.PREFIX_UNREACHABLE",
            "TunnelStatus.DOWN",
            "TunnelStatus.UNKNOWN",
            "TunnelStatus.UP");
}
