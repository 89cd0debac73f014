/**
 * MRT dumps (RFC 6396, RFC 8050 ADD-PATH) to canonical events, and a command that replays them to
 * Kafka ({@link io.meshwatch.mrt.MrtReplay}); and the other way, a route table written as an MRT
 * TABLE_DUMP_V2 dump ({@link io.meshwatch.mrt.TableDumpEncoder}, the API's MRT export). Plain Java, no CDI.
 *
 * <p>Pipeline: {@link io.meshwatch.mrt.MrtReader} streams {@link io.meshwatch.mrt.MrtRecord}s from
 * a gzip or plain stream; {@link io.meshwatch.mrt.MrtEventMapper} turns them into
 * {@link io.meshwatch.event.BgpUpdateEvent}, {@link io.meshwatch.event.PeerStateEvent} and
 * {@link io.meshwatch.event.EndOfRibEvent}s for one router id; {@link io.meshwatch.mrt.MrtReplay}
 * encodes them with {@link io.meshwatch.event.EventCodec} and produces them keyed by router id.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The reader never throws out of its iteration. Every record it cannot use is counted in
 *       {@link io.meshwatch.mrt.MrtStats} under a {@link io.meshwatch.mrt.SkipReason} with its byte
 *       offset in the uncompressed stream; a bad body is skipped by the header's length, a cut or
 *       implausible header, a cut body or a failing stream ends the read.</li>
 *   <li>Every event produced passes {@link io.meshwatch.event.EventCodec} validation: prefixes have
 *       host bits zero (a prefix with host bits set is skipped and counted as
 *       {@link io.meshwatch.mrt.SkipReason#HOST_BITS_SET}), AS numbers fit 32 bits, announcements
 *       always carry an origin ({@code incomplete} when the dump has none) and a next hop (the
 *       unspecified address {@code 0.0.0.0} or {@code ::} when the dump has none).</li>
 *   <li>AS paths are flat lists: a {@code Long} per AS_SEQUENCE member, a {@code List<Long>} per
 *       AS_SET; AS_CONFED segments are dropped and counted. Sessions with 2-byte AS paths
 *       (TABLE_DUMP, BGP4MP MESSAGE) get AS4_PATH merged in as RFC 6793 section 4.2.3 says.</li>
 *   <li>Only unicast IPv4 and IPv6 are carried; multicast prefixes and other AFI/SAFIs are counted
 *       and left out. AGGREGATOR and unknown attributes are read past and not carried.</li>
 *   <li>RIB entries and UPDATEs received from peers are {@code adj-in-post} (a collector applies no
 *       import policy, so pre and post policy are the same, and replaying a RIB dump followed by
 *       update dumps keeps one RIB per peer); {@code *_LOCAL} messages are {@code adj-out-post}.
 *       RIB event time is the entry's originated time, UPDATE and STATE_CHANGE time is the record's
 *       (with microseconds for {@code BGP4MP_ET}).</li>
 *   <li>Per router id, events come out in stream order, except that RIB entries sharing peer,
 *       originated time and attributes are grouped into one event (which a RIB dump's one path per
 *       peer, prefix and path id makes harmless). Pending RIB groups are emitted before any UPDATE
 *       or STATE_CHANGE that follows them.</li>
 * </ul>
 *
 * <p>The encoder writes one PEER_INDEX_TABLE then one RIB record per prefix, best path first, and
 * reads the table only through its public queries; the rules of what it writes are on the class.
 *
 * <p>Threading: none of the classes is thread-safe; a reader, its stats and a mapper belong to the
 * thread that iterates. {@link io.meshwatch.mrt.MrtReader#sourceBytesRead()} is the exception and
 * may be read from another thread. {@link io.meshwatch.mrt.MrtReplay} runs on the calling thread;
 * only its acknowledgement counters are touched by the Kafka producer's I/O thread.
 */
package io.meshwatch.mrt;
