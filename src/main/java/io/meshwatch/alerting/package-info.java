/**
 * Alert lifecycle, silences, incidents and their persistence.
 *
 * <p>Core (plain Java, no I/O): {@link io.meshwatch.alerting.AlertLifecycle} decides every change
 * of an {@link io.meshwatch.alerting.Alert} from the stored alert and what happened (a detection
 * signal, a person's acknowledge or resolve), returning the alert after, the
 * {@link io.meshwatch.alerting.Transition} to record and what to notify;
 * {@link io.meshwatch.alerting.Silence} and {@link io.meshwatch.alerting.Matcher} decide muting.
 *
 * <p>Invariants:
 * <ul>
 *   <li>One row per fingerprint: a repeat updates it and bumps {@code raise_count}; it never
 *       creates a second alert.</li>
 *   <li>Every state change has an {@code alert_transition} row with who ({@code meshwatch} or the
 *       API key's name) and why, written in the same transaction as the change.</li>
 *   <li>Outbox rows are written in the transaction of the change they announce, only for raise and
 *       resolve, never for an inhibited or silenced alert; a replayed change writes none (unique
 *       idempotency key).</li>
 *   <li>{@code update} re-statements of a signal only refresh incident, inhibition and annotations.</li>
 *   <li>Every lifecycle event ({@link io.meshwatch.alerting.AlertChange}: raised, repeated,
 *       acknowledged, resolved) writes one Kafka event row to the outbox in its transaction, and is
 *       handed to the change listeners (live stream, metrics) only after the commit.</li>
 *   <li>Detection's items are written in the order detection emitted them, each as of the instant it
 *       was queued; none is dropped while the database is away ({@link io.meshwatch.alerting.AlertBacklog}:
 *       transitions kept, re-statements and incident snapshots replaced by later ones of the same
 *       key, bounded by {@code meshwatch.alerting.backlog-limit}); the writer retries the oldest with
 *       back-off. Applying an item twice changes nothing.</li>
 * </ul>
 *
 * <p>Threading: {@link io.meshwatch.alerting.AlertService} is called by the detection engine on its
 * thread under its lock and only queues (the backlog's methods are synchronized); one writer drains
 * the queue in order on a Vert.x context, one transaction per signal or incident, and only it takes
 * and removes the head. API changes run on request threads in their own
 * transactions; all changes of one alert take its row lock ({@code SELECT ... FOR UPDATE}), so a
 * person's change and detection's change never interleave. The stores are stateless;
 * {@link io.meshwatch.alerting.AlertMetrics} re-counts open alerts one query at a time.
 */
package io.meshwatch.alerting;
