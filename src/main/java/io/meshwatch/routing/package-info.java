/**
 * Plain-Java route table core of Meshwatch: prefixes and addresses, interned path attributes, the
 * per-router Adj-RIB-In / Loc-RIB with the BGP decision process, and longest-prefix match.
 * No CDI, no I/O; time only through an injected {@link java.time.Clock}.
 *
 * <h2>Data layout</h2>
 * One {@link io.meshwatch.routing.RouteTable} per router holds, per VRF and address family, a
 * {@code RibTable}: a {@code PrefixIndex} gives every prefix a dense int id (hash index for exact
 * match, a leaf-pushed multibit trie in {@code int[]}s for longest match, sorted id blocks for
 * ordered walks), and per id the RIB keeps an exactly-sized {@code int[]} of
 * {@code (peerIndex, pathId, attributeId)} triples, the offset and reason of the computed best, and
 * the attribute id of the router-reported best. Attribute sets, AS paths and community sets are
 * interned with reference counts in one {@link io.meshwatch.routing.AttributeInterner} per table.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>A prefix id is live exactly while its prefix has at least one received path or a reported
 * best; the hash index, the trie and the ordered blocks always hold the same set of live ids.</li>
 * <li>Within a prefix, {@code (peerIndex, pathId)} is unique; a new announcement for it replaces
 * the old path (implicit withdraw).</li>
 * <li>The computed best of every live prefix is the result of the decision process over its
 * current paths; it is recomputed on every change to those paths.</li>
 * <li>Every attribute id stored in a RIB holds one reference in the interner; sets, AS paths and
 * community sets are freed when their last reference goes.</li>
 * <li>A {@link io.meshwatch.routing.RouteDelta} is emitted exactly when the effective best (reported
 * if present, else computed) of a prefix changes peer, path id, source or attributes.</li>
 * <li>Per-peer route counts equal the number of stored paths of that peer per family.</li>
 * </ul>
 *
 * <h2>Locking strategy</h2>
 * Each {@code RouteTable} has ONE writer thread (the consumer of that router's events) and any
 * number of reader threads (the API). All state of a table is guarded by one
 * {@link java.util.concurrent.locks.StampedLock}:
 * <ul>
 * <li>Every mutating call takes the write lock for its whole duration: one UPDATE, one Loc-RIB
 * update, one End-of-RIB, or one peer-down flush (a full-table flush holds it for tens to hundreds
 * of milliseconds; readers wait rather than see a half-flushed table).</li>
 * <li>Longest-prefix-match lookups, the hot read path, use an optimistic read: they read the trie
 * and build the result without locking, then validate the stamp; if a write intervened, or the
 * racing read threw because arrays were being replaced, they retry under the read lock. Loops in
 * the lookups are bounded so a torn read cannot spin.</li>
 * <li>All other queries take the read lock and copy what they return into immutable records, so
 * nothing handed out refers to mutable table state.</li>
 * <li>Delta consumers run on the writer thread under the write lock and must not call back in.</li>
 * <li>Classes other than {@code RouteTable} (RibTable, PrefixIndex, StrideTrie, OrderedIds,
 * AttributeInterner, PeerRegistry, DecisionProcess) are not thread-safe and rely on this rule.
 * Value types ({@code Prefix}, {@code PathAttributes}, {@code AsPath}, {@code Communities},
 * records) are immutable and safe to share.</li>
 * </ul>
 * Why not copy-on-write snapshots: a full table is ~1M prefixes, so copying per update is out and
 * persistent structures cost far more memory per prefix than the 200-byte budget allows; a single
 * lock with short write sections and lock-free optimistic lookups keeps memory flat and lookups fast.
 */
package io.meshwatch.routing;
