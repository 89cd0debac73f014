/**
 * gNMI telemetry as gnmic and Telegraf emit it, to canonical events: {@link io.meshwatch.gnmi.MetricFormats}
 * (InfluxDB line protocol, Telegraf JSON, gnmic events), {@link io.meshwatch.gnmi.GnmiMapper}
 * (interface state and counters, BGP neighbour state; plain Java, no I/O) and the command
 * {@link io.meshwatch.gnmi.GnmiRelay} ({@code bin/gnmi-relay}).
 *
 * <p>Invariants: every event produced passes {@link io.meshwatch.event.EventCodec} validation; a
 * sample that cannot be mapped is refused whole with a message naming what is missing, and the next
 * one is read; samples about things Meshwatch does not model produce nothing.
 *
 * <p>Threading: a mapper (it remembers peer ASes) belongs to the thread feeding it.
 */
package io.meshwatch.gnmi;
