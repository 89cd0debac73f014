package io.meshwatch.detect;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.inventory.Severity;
import io.meshwatch.network.SessionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a {@link DetectionEngine} needs to go on exactly where it was: a checkpoint, taken with
 * {@link DetectionEngine#checkpoint()} between two calls and turned back into an engine with
 * {@link DetectionEngine#restore(java.time.Clock, DetectionSettings, DetectionListener,
 * io.meshwatch.inventory.Inventory, EngineState)}. Immutable; plain values only (strings, numbers,
 * instants, enums and the package's own value records), so that {@link EngineStateCodec} writes it
 * as JSON. Inventory objects are named by id: the inventory itself is given to the restore.
 *
 * <p>Lists keep the order the engine depends on: the firing signals, the held resolutions, the open
 * incidents and their children and timelines in the engine's own order, every timer list in firing
 * order (by instant, then in the order the timers were set). Lists the engine keeps unordered
 * (sessions, circuits, tunnels, groups, prefixes) are sorted, so that two equal engines give equal
 * states.
 *
 * <p>Any change to the shape of these records, or of the records they hold ({@link Signal},
 * {@link Incident}, {@link Switchover}, ...), is a new {@link #CURRENT_VERSION}.
 *
 * @param version         the format version, {@link #CURRENT_VERSION}
 * @param takenAt         the engine's clock when the checkpoint was taken
 * @param unmatchedEvents inputs that named no known tunnel or circuit so far
 * @param signals         the signal book: firing signals and held resolutions
 * @param sessions        the BGP session detector
 * @param circuits        the circuit detector
 * @param failovers       the tunnel and tunnel-group (failover) detector
 * @param prefixes        the prefix detector
 * @param incidents       the correlator: incidents open and kept
 * @param feeds           the feed detector: lost feeds, telemetry silence, expected items not yet up
 */
public record EngineState(int version, Instant takenAt, long unmatchedEvents, Signals signals, Sessions sessions,
                          Circuits circuits, Failovers failovers, Prefixes prefixes, Incidents incidents,
                          Feeds feeds) {

    /**
     * The version this build writes and reads. 2: a circuit's degradation dwell is two event-time
     * streak starts, no longer a timer, and {@link Feeds} is added (version 1 states are refused: the
     * new owner starts from the facts group's committed offset, as without a checkpoint).
     */
    public static final int CURRENT_VERSION = 2;

    public EngineState {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(circuits, "circuits");
        Objects.requireNonNull(failovers, "failovers");
        Objects.requireNonNull(prefixes, "prefixes");
        Objects.requireNonNull(incidents, "incidents");
        Objects.requireNonNull(feeds, "feeds");
    }

    /**
     * The feed detector.
     *
     * @param lost          routers whose feed is lost, sorted by router
     * @param lastTelemetry per router, the event time of its last telemetry
     * @param silence       the telemetry silence deadlines, by router
     * @param expected      inventory items not seen up yet, in the order they became expected
     * @param neverUp       their deadlines
     * @param seenUp        keys of the items ever seen up, sorted
     * @param settled       when the expected items were last checked for being up (clock), or null
     */
    public record Feeds(List<LostFeed> lost, Map<String, Instant> lastTelemetry, List<Timer<String>> silence,
                        List<ExpectedItem> expected, List<Timer<String>> neverUp, List<String> seenUp,
                        Instant settled) {

        public Feeds {
            lost = List.copyOf(lost);
            lastTelemetry = new TreeMap<>(lastTelemetry);
            silence = List.copyOf(silence);
            expected = List.copyOf(expected);
            neverUp = List.copyOf(neverUp);
            seenUp = List.copyOf(seenUp);
        }
    }

    /** A router whose feed is lost, since {@code since} (event time). */
    public record LostFeed(String router, String feed, Instant since, String reason) {
    }

    /** An inventory item expected up: its key, its signal labels, since when (clock) it is expected. */
    public record ExpectedItem(String key, Map<String, String> labels, Instant since) {

        public ExpectedItem {
            labels = new TreeMap<>(labels);
        }
    }

    /**
     * One pending timer of a detector: its key and its clock deadline.
     *
     * @param <K> what the timer is for: a fingerprint, a circuit or group id, a session, a prefix
     */
    public record Timer<K>(K key, Instant at) {
    }

    /**
     * The signal book.
     *
     * @param firing    the firing signals in their latest (correlated) form, in the book's order
     * @param held      resolutions waiting out their hold-down, in the book's order
     * @param holdDowns the hold-down deadlines, by fingerprint
     */
    public record Signals(List<Signal> firing, List<HeldResolution> held, List<Timer<String>> holdDowns) {

        public Signals {
            firing = List.copyOf(firing);
            held = List.copyOf(held);
            holdDowns = List.copyOf(holdDowns);
        }
    }

    /** A resolution waiting out its hold-down: what the resolve will say when it comes. */
    public record HeldResolution(SignalType type, Map<String, String> labels, Instant endedAt,
                                 Map<String, String> extra) {

        public HeldResolution {
            labels = sorted(labels);
            extra = sorted(extra);
        }
    }

    /**
     * The BGP session detector.
     *
     * @param sessions every session seen, sorted by router, VRF, peer
     * @param dwell    down dwells
     * @param quiet    quiet periods that end flapping
     * @param rejoin   convergence periods of sessions coming up again
     */
    public record Sessions(List<SessionEntry> sessions, List<Timer<SessionKey>> dwell, List<Timer<SessionKey>> quiet,
                           List<Timer<SessionKey>> rejoin) {

        public Sessions {
            sessions = List.copyOf(sessions);
            dwell = List.copyOf(dwell);
            quiet = List.copyOf(quiet);
            rejoin = List.copyOf(rejoin);
        }
    }

    /**
     * One session as the session detector knows it: the shard stage's latest report of it (from
     * {@code peerAs} to {@code cause}) and what detection derived.
     *
     * @param everUp         established at least once since first heard of (restored sessions count)
     * @param upSince        when it last became established, or null
     * @param lastTransition the event time of its last transition, or null
     * @param transitions    the transitions in its flap window, oldest first
     */
    public record SessionEntry(SessionKey key, long peerAs, BgpState state, Instant since, Instant lastEvent,
                               long flaps, String reason, boolean flapping, boolean everUp, Instant upSince,
                               Integer holdTime, Integer keepalive, DownCause cause, Instant lastTransition,
                               List<Instant> transitions) {

        public SessionEntry {
            Objects.requireNonNull(key, "key");
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * The circuit detector.
     *
     * @param circuits the circuits with state, sorted by id (a degradation's dwell is judged by event
     *                 time, from each entry's streak starts: no timers)
     */
    public record Circuits(List<CircuitEntry> circuits) {

        public Circuits {
            circuits = List.copyOf(circuits);
        }
    }

    /**
     * One circuit as the circuit detector knows it.
     *
     * @param ifaceDown      whether its A-end interface is down; null when never heard
     * @param ifaceStatus    the A-end interface's last oper status that counted
     * @param ifaceDownAt    when the interface went down, while it is down
     * @param underlay       the probe rounds that name the circuit
     * @param overlay        the probe rounds through tunnels over it
     * @param overlaySpeaks  true when the overlay's rounds speak for the circuit (no current underlay)
     * @param sessionsReason whether "all its sessions down" is among the current reasons
     * @param probesOverSince      event time of the first probe round of the current over-threshold
     *                            streak (degradation dwell), or null
     * @param retransmitsOverSince the same for the retransmit reports, or null
     * @param state          the view's state, and since when (clock)
     */
    public record CircuitEntry(String id, Boolean ifaceDown, String ifaceStatus, Instant ifaceDownAt,
                               ProbeRounds underlay, ProbeRounds overlay, boolean overlaySpeaks, Double retransmitPct,
                               CircuitView.Counters counters, boolean heard, boolean down, List<String> downReasons,
                               boolean sessionsReason, boolean degraded, Instant probesOverSince,
                               Instant retransmitsOverSince, CircuitState state,
                               Instant since) {

        public CircuitEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(underlay, "underlay");
            Objects.requireNonNull(overlay, "overlay");
            downReasons = List.copyOf(downReasons);
        }
    }

    /**
     * Probe rounds of one kind on a circuit.
     *
     * @param latest       the latest round, or null
     * @param interval     the time between its latest two rounds, or null
     * @param lossRounds   consecutive rounds at or above the down loss
     * @param streakStart  the first lost round of the streak, or null
     * @param lastAnswered the last answered round before it, or null
     */
    public record ProbeRounds(CircuitView.Probe latest, Duration interval, int lossRounds, Instant streakStart,
                              Instant lastAnswered) {
    }

    /**
     * The failover detector.
     *
     * @param tunnels the tunnels with state, sorted by id
     * @param groups  the tunnel groups with state, sorted by id
     * @param slow    failover objectives (IpsecFailoverSlow deadlines), by group id
     */
    public record Failovers(List<TunnelEntry> tunnels, List<GroupEntry> groups, List<Timer<String>> slow) {

        public Failovers {
            tunnels = List.copyOf(tunnels);
            groups = List.copyOf(groups);
            slow = List.copyOf(slow);
        }
    }

    /**
     * One tunnel.
     *
     * @param reported       its last reported tunnel state ({@code up}, {@code down}) or null
     * @param reportedDownAt when the reported state went down, while it is down
     * @param bytes          its last byte counters, in plus out, or null
     * @param status         its status as last evaluated
     */
    public record TunnelEntry(String id, String reported, Instant reportedDownAt, Long bytes, TunnelStatus status) {

        public TunnelEntry {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * One tunnel group.
     *
     * @param backupInUse  the backup carrying traffic, or null
     * @param inProgress   the failover or failback being measured, or null
     * @param baseline     byte counters (by tunnel id) when the switchover in progress began
     * @param flushed      the last failover was completed by the flush of the primary's closed session
     */
    public record GroupEntry(String id, GroupPhase phase, String backupInUse, boolean allDown, Switchover inProgress,
                             Map<String, Long> baseline, Switchover lastFailover, Switchover lastFailback,
                             boolean flushed) {

        public GroupEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(phase, "phase");
            baseline = sorted(baseline);
        }
    }

    /**
     * The prefix detector.
     *
     * @param debounce    pending PrefixUnreachable debounces
     * @param lostAt      when each lost prefix (pending or firing) lost its last path (event time)
     * @param unreachable prefixes whose PrefixUnreachable fires, sorted
     * @param onBackup    prefixes whose best path is via a backup tunnel, with that tunnel's id
     * @param anyTracked  non-inventory prefixes tracked in any-prefix mode, sorted
     * @param settling    prefixes on the backup of a converging group, with when they went there
     * @param settle      the convergence deadlines of those
     * @param dropped     losses not tracked because the any-prefix cap was reached
     */
    public record Prefixes(List<Timer<PrefixKey>> debounce, List<PrefixTime> lostAt, List<PrefixKey> unreachable,
                           List<PrefixTunnel> onBackup, List<PrefixKey> anyTracked, List<PrefixTime> settling,
                           List<Timer<PrefixKey>> settle, long dropped) {

        public Prefixes {
            debounce = List.copyOf(debounce);
            lostAt = List.copyOf(lostAt);
            unreachable = List.copyOf(unreachable);
            onBackup = List.copyOf(onBackup);
            anyTracked = List.copyOf(anyTracked);
            settling = List.copyOf(settling);
            settle = List.copyOf(settle);
        }
    }

    /** A prefix on a router: canonical VRF and prefix text ({@code 10.1.0.0/16}). */
    public record PrefixKey(String router, String vrf, String prefix) {

        public PrefixKey {
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(vrf, "vrf");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** A prefix on a router and an event time. */
    public record PrefixTime(PrefixKey key, Instant at) {
    }

    /** A prefix on a router and the id of the backup tunnel its best path is via. */
    public record PrefixTunnel(PrefixKey key, String tunnel) {
    }

    /**
     * The correlator.
     *
     * @param live          the incidents it works on: the open ones in its order (oldest first), then
     *                      any closed one a fingerprint still points to
     * @param byFingerprint per signal fingerprint, the index in {@code live} of the incident it belongs to
     * @param inhibited     per signal fingerprint, whether it is an inhibited child
     * @param history       resolved and merged incidents kept for the read model, oldest first
     */
    public record Incidents(List<IncidentEntry> live, Map<String, Integer> byFingerprint,
                            Map<String, Boolean> inhibited, List<Incident> history) {

        public Incidents {
            live = List.copyOf(live);
            byFingerprint = sorted(byFingerprint);
            inhibited = sorted(inhibited);
            history = List.copyOf(history);
        }
    }

    /**
     * One incident the correlator works on.
     *
     * @param root      the root signal, latest form
     * @param children  the children, latest form, in joining order
     * @param timeline  the timeline in the order it was written (the read model sorts it by time)
     * @param worst     the most severe of its signals since it opened
     */
    public record IncidentEntry(String id, Instant openedAt, Signal root, List<Signal> children,
                                List<TimelineEntry> timeline, IncidentStatus status, Instant resolvedAt,
                                String mergedInto, Severity worst) {

        public IncidentEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(status, "status");
            children = List.copyOf(children);
            timeline = List.copyOf(timeline);
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
