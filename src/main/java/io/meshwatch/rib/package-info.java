/**
 * The live RIB service: the Quarkus-side owner of one {@link io.meshwatch.routing.RouteTable} per
 * router, fed by canonical BGP events, and the mapping from wire types to core types.
 *
 * <p>Invariants: every table is written only through {@link io.meshwatch.rib.RibService#apply},
 * in the order the router's events arrived on its partition; every applied change's deltas are
 * counted (and, as detectors land, handed on).
 *
 * <p>Threading: one writer (the BGP channel's context) for all tables; readers (the API) query
 * the tables from any thread under the tables' own locking.
 */
package io.meshwatch.rib;
