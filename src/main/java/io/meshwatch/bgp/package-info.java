/**
 * The BGP-4 wire codec shared by the MRT reader and the BMP collector (decode only): message
 * header, OPEN capabilities, UPDATE with path attributes, MP_REACH/MP_UNREACH for IPv4/IPv6
 * unicast and, on request, labeled unicast and VPN prefixes with their route distinguishers.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every read is bounds-checked by {@link io.meshwatch.bgp.Cursor}; a message that does not
 *       decode throws {@link io.meshwatch.bgp.BgpWireException} (never an index or number
 *       exception), with the field named in the message.</li>
 *   <li>Parts that are dropped while the rest stays usable (a prefix with host bits set, an
 *       unsupported family, a confederation segment) are reported through an
 *       {@link io.meshwatch.bgp.IssueReporter}, never silently.</li>
 *   <li>Decoded attributes are canonical {@link io.meshwatch.event.BgpAttributes}: AS paths flat
 *       (a {@code Long} per AS_SEQUENCE member, a {@code List<Long>} per AS_SET), AS4_PATH merged
 *       into a 2-octet AS_PATH (RFC 6793 4.2.3), addresses in canonical text.</li>
 * </ul>
 *
 * <p>Threading: the decoders are stateless and may be called from any thread; a
 * {@link io.meshwatch.bgp.Cursor} and a {@link io.meshwatch.bgp.WireAttributes} belong to the
 * thread decoding one message.
 */
package io.meshwatch.bgp;
