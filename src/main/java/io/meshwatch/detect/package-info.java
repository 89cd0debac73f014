/**
 * Detection: the detectors (BGP session, IPSec failover, circuit, reachability, route policy, silent
 * sources and expected state) and the correlation
 * of their signals into incidents. Plain Java: no CDI, no Mutiny, no I/O; time only through an
 * injected {@link java.time.Clock}. The adapters (Kafka, REST) call
 * {@link io.meshwatch.detect.DetectionEngine} and receive output through a
 * {@link io.meshwatch.detect.DetectionListener}. Rules, thresholds and defaults are documented in
 * {@code docs/detection.md}.
 *
 * <h2>Threading</h2>
 * Single-threaded by contract: the caller serialises every call into the engine (inputs,
 * {@code tick()}, {@code nextDeadline()} and the read models alike), for example by running them
 * all on one Vert.x context or behind one lock. No class here is thread-safe (but the immutable
 * {@link io.meshwatch.detect.PolicyRanges}, which the shard stage asks on the BGP writer) and none starts a
 * thread or a timer; the listener is called on the caller's thread during the call and must not
 * call back into the engine. What the engine hands out (signals, incidents, views) is immutable and
 * may cross threads.
 *
 * <h2>Time</h2>
 * Measured durations (failover and failback times, flap windows, a signal's start and end) use the
 * routers' event times. Deadlines (session down dwell, debounce, quiet period, failover objective)
 * use the clock: the clock at which the starting event was processed plus the configured duration.
 * A backlog of events therefore delays deadlines by the backlog, never shortens them. A circuit's
 * degradation dwell is no deadline: its measurements show it by their event times, so that a report
 * processed late (rebalance, take-over replay) cannot turn a blip into a degradation. The adapter
 * calls {@code tick()} at {@code nextDeadline()}; every input call also fires what is already due.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>At most one firing signal per fingerprint (type + identifying labels); raising it again
 * refines it (emitted with {@code update = true}) and never duplicates it.</li>
 * <li>Every emitted signal belongs to exactly one incident, whose id it carries; a signal is
 * inhibited exactly when it is a child explained by its incident's root.</li>
 * <li>A resolve is only emitted for a signal that fired; an incident resolves only when its root
 * and all its children have resolved.</li>
 * <li>Duplicate and stale inputs change nothing: an older peer-state event than the newest applied
 * is ignored, a restated state is a no-op.</li>
 * <li>Sessions seeded with {@code restore} (known from before a restart) are state, not events:
 * seeding raises and resolves nothing, counts no transition, starts no timer and measures nothing;
 * later inputs are judged against the seeded state as if the engine had followed it all along.</li>
 * <li>One outage is one occurrence: a state signal (CircuitDown, IpsecTunnelGroupDown) whose
 * condition clears resolves only after {@code resolveHoldDown} without its condition returning;
 * changing evidence refines it in place. A refinement may move a signal's start earlier, never
 * later.</li>
 * <li>A failover's clock starts at the earliest evidence of the failure ({@code Evidence}), and a
 * start or an end dated earlier by evidence that arrives later moves it back; when BGP is the only
 * witness the start, and so the failover time, is an interval that holds the routers' own figure.</li>
 * <li>A session never established since it was first heard of (or since its router rejoined) is
 * coming up, not down: it raises nothing and counts as unknown.</li>
 * <li>Pending timers are bounded: one per session, circuit, group, and watched prefix on a router,
 * plus at most {@code maxAnyPrefixTracked} for non-inventory prefixes; the feed detector adds one per
 * router that sent telemetry (its silence) and one per inventory session, tunnel and circuit not yet
 * seen up (never came up).</li>
 * <li>A router whose feed is lost ({@code bgp.feed_state lost}) stays stale, with since-when, until its
 * feed is up again or ended cleanly; a report dated before the loss changes nothing.</li>
 * <li>A checkpoint ({@code checkpoint()}, an immutable {@link io.meshwatch.detect.EngineState}) holds
 * everything the engine needs to go on: restored with {@code DetectionEngine.restore(...)}, it emits
 * nothing, and fed the same inputs and ticks at the same clock instants the restored engine emits
 * exactly what the original does and shows the same read models. State names inventory objects by
 * id. Any change to the state's shape is a new {@link io.meshwatch.detect.EngineState#CURRENT_VERSION};
 * {@link io.meshwatch.detect.EngineStateCodec} (compact gzipped JSON) refuses another version.</li>
 * </ul>
 */
package io.meshwatch.detect;
