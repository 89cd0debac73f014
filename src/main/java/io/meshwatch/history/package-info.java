/**
 * Routing history (issue 19, docs/history.md): a router's route table as it was at a past instant and
 * the changes of a prefix, rebuilt from the log Meshwatch already keeps: the nearest route-table snapshot at or
 * before the instant ({@code rib_snapshot}, {@code rib_snapshot_history}) plus the records of the
 * router's partition of the BGP topic from the snapshot's offset up to the offset of the instant
 * (Kafka's offsets-for-times).
 *
 * <p>Core: {@link io.meshwatch.history.Rebuild} (plain Java, injected clock): the snapshot's image of
 * one router plus that router's events, applied by a private {@link io.meshwatch.rib.RibService} with
 * exactly the live rules, into a temporary table bounded in received paths;
 * {@link io.meshwatch.history.PrefixHistory} (plain Java) collects one prefix's announcements,
 * withdrawals and best-path changes during such a replay. Adapters:
 * {@link io.meshwatch.history.PastTables} (the Kafka reads with a short-lived consumer assigned by
 * hand, outside every group; the snapshot look-ups), {@link io.meshwatch.history.SessionHistory}
 * (the state changes of BGP sessions in {@code bgp_session_history}, from the session changes the
 * input channel applies) and the API in {@code api.RouteResource} and {@code api.HistoryResource}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A past table is never guessed: when the instant is before the oldest snapshot that can be
 *       replayed from, or the records after that snapshot are past the topic's retention, the caller
 *       gets {@link io.meshwatch.history.OutOfReach} naming both limits, never an empty table.
 *       An untrimmed partition (log start offset 0) reaches back to its first record without a
 *       snapshot.</li>
 *   <li>A rebuild reads only records below the target offset (the first record stamped after the
 *       instant), and holds at most {@code meshwatch.rib.history.max-paths} received paths and
 *       reads at most {@code max-records} records; beyond either it stops with
 *       {@link io.meshwatch.history.TooLarge}.</li>
 *   <li>Nothing here writes to the live tables, the consumer group or its offsets.</li>
 * </ul>
 *
 * <p>Threading: a {@link io.meshwatch.history.Rebuild} belongs to the thread that feeds it; each call
 * of {@link io.meshwatch.history.PastTables} runs on the caller's (worker) thread with its own
 * consumer, closed before it returns, and a returned table is private to that call.
 * {@link io.meshwatch.history.SessionHistory}'s listener runs on the input channel's thread and only
 * queues; one flush at a time writes from a Vert.x timer.
 */
package io.meshwatch.history;
