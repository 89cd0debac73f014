package io.meshwatch.gnmi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.relay.LineRelay;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Relays gNMI telemetry as gnmic or Telegraf write it to Kafka as canonical events:
 * {@code GnmiRelay [--format influx|telegraf-json|gnmic-event] [--router SOURCE=ID]... [--bootstrap
 * host:port] [--bgp-topic T] [--telemetry-topic T] [FILE...]}, one sample (or gnmic event array)
 * per line, from standard input without files: Telegraf's {@code outputs.execd} or
 * {@code gnmic subscribe --format event} can feed it. Interface events go to the telemetry topic,
 * BGP session states to the BGP topic. Exit codes: 0 done, 1 Kafka refused events or a file could
 * not be read, 2 bad arguments.
 */
public final class GnmiRelay {

    static final String USAGE = "usage: gnmi-relay [--format influx|telegraf-json|gnmic-event] [--router SOURCE=ID]... "
            + "[--bootstrap host:port] [--bgp-topic T] [--telemetry-topic T] [FILE...]";

    private GnmiRelay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command; returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        String[] format = {"influx"};
        Map<String, String> routers = new HashMap<>();
        LineRelay.Options options;
        try {
            options = LineRelay.options(args, (k, v) -> {
                switch (k) {
                    case "--format" -> format[0] = v;
                    case "--router" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--router takes SOURCE=ID, got " + v);
                        }
                        routers.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> {
                        return false;
                    }
                }
                return true;
            });
            if (!List.of("influx", "telegraf-json", "gnmic-event").contains(format[0])) {
                throw new IllegalArgumentException("--format is influx, telegraf-json or gnmic-event, got " + format[0]);
            }
        } catch (IllegalArgumentException e) {
            err.println("gnmi-relay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        GnmiMapper mapper = new GnmiMapper(Map.copyOf(routers), Clock.systemUTC());
        return new LineRelay("gnmi-relay", "gnmi", err).run(options, (line, out) -> {
            List<GnmiMetric> metrics = switch (format[0]) {
                case "telegraf-json" -> MetricFormats.telegrafJson(json.readTree(line));
                case "gnmic-event" -> MetricFormats.gnmicEvents(json.readTree(line));
                default -> List.of(MetricFormats.lineProtocol(line));
            };
            for (GnmiMetric m : metrics) {
                mapper.map(m, out);
            }
        });
    }
}
