package io.meshwatch.gnmi;

import java.time.Instant;
import java.util.Map;

/**
 * One telemetry sample as a gNMI collector emits it, whatever its format: a name (Telegraf's
 * measurement, gnmic's subscription), tags (device address as {@code source}, path keys) and
 * fields (leaf values, keyed by path or leaf name). Immutable.
 *
 * @param fields values: {@link String}, {@link Long}, {@link Double} or {@link Boolean}
 */
public record GnmiMetric(String name, Map<String, String> tags, Map<String, Object> fields, Instant time) {
}
