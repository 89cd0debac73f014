/**
 * The live RIB service: the Quarkus-side owner of one {@link io.meshwatch.routing.RouteTable} per
 * router, fed by canonical BGP events, and the mapping from wire types to core types.
 *
 * <p>Invariants: every table is written only through {@link io.meshwatch.rib.RibService#apply},
 * in the order the router's events arrived on its partition, or replaced whole by a restore
 * ({@link io.meshwatch.rib.RibService#replace}) on the same writer; every applied change's deltas
 * are counted (and, as detectors land, handed on). A stored snapshot's offset is never ahead of the
 * tables it holds ({@link io.meshwatch.rib.RibSnapshots}; ADR {@code docs/decisions/0001}).
 *
 * <p>Threading: one writer (the input channel's context) for all tables; readers (the API, the
 * route-table gauges of {@link io.meshwatch.rib.RibGauges} at scrape time) query the tables from any
 * thread under the tables' own locking. The apply loop only increments global counters.
 */
package io.meshwatch.rib;
