/**
 * The shared loop of the line-oriented relays that turn a tool's output (ExaBGP's JSON API,
 * gnmic events, Telegraf metrics) into canonical events on Kafka.
 *
 * <p>Invariant: a line is either mapped whole or refused whole (counted and reported with its
 * line number); events keep the order of the lines and are keyed by router id.
 *
 * <p>Threading: one relay runs on the calling thread; the producer's I/O thread only counts failures.
 */
package io.meshwatch.relay;
