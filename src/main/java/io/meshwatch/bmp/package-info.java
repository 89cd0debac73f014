/**
 * The BMP collector (RFC 7854; RFC 8671 Adj-RIB-Out; RFC 9069 Loc-RIB): routers connect over TCP
 * and their monitoring becomes canonical BGP events on {@code meshwatch.topics.bgp}, keyed by
 * router id. {@code docs/inputs.md} tells how to point routers at it and lists the quirks.
 *
 * <p>Pipeline per connection: {@link io.meshwatch.bmp.BmpFramer} (messages out of the byte
 * stream) &rarr; {@link io.meshwatch.bmp.BmpDecoder} (messages, with the shared BGP wire codec of
 * {@code io.meshwatch.bgp}) &rarr; {@link io.meshwatch.bmp.BmpEventMapper} (canonical events, real
 * routers' quirks corrected) &rarr; {@link io.meshwatch.bmp.BmpProducer} (Kafka). Framer, decoder
 * and mapper are plain Java without I/O; {@link io.meshwatch.bmp.BmpServer} and
 * {@link io.meshwatch.bmp.BmpConnection} are the Vert.x adapter, {@link io.meshwatch.bmp.BmpCollector}
 * its CDI life cycle.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Bad input never takes the collector down: a message that does not decode is logged with
 *       router and byte offset, counted in {@code meshwatch_bmp_errors_total{reason}} and skipped
 *       by its length; only a header that cannot be trusted (version not 3, length outside
 *       6..{@code max-message-bytes}) closes that one connection.</li>
 *   <li>Nothing is dropped silently: every event handed to Kafka is either acknowledged or fails
 *       the connection (the router reconnects and resends its tables). Everything the mapper
 *       leaves out on purpose is counted ({@code meshwatch_bmp_quirks_total{quirk}}).</li>
 *   <li>Per router, events are produced in the order the router sent the messages.</li>
 *   <li>Each connection produces its router's feed state ({@code bgp.feed_state}), in order with its
 *       other events: {@code up} after its first message, {@code ended} at a Termination, {@code lost}
 *       when it ends without one (after every event of the messages read), once; not when the collector
 *       itself closes it while stopping. TCP keep-alive ({@code meshwatch.bmp.keepalive-*},
 *       {@link io.meshwatch.bmp.KeepAlive}) ends a connection whose link was cut.</li>
 * </ul>
 *
 * <p>Threading: each connection, with its framer, decoder and mapper, is confined to the Vert.x
 * event loop that accepted it; Kafka acknowledgements come back to it through
 * {@code Context.runOnContext}. {@link io.meshwatch.bmp.BmpProducer} sends from its own single
 * thread so event loops never block; {@link io.meshwatch.bmp.BmpMetrics} is safe from any thread.
 */
package io.meshwatch.bmp;
