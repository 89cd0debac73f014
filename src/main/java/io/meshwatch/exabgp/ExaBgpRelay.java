package io.meshwatch.exabgp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.relay.LineRelay;
import java.io.PrintStream;

/**
 * Relays ExaBGP's JSON API to Kafka as canonical events:
 * {@code ExaBgpRelay [--bootstrap host:port] [--bgp-topic meshwatch.bgp.v1] [--router ID] [FILE...]}.
 * Without files it reads standard input, so ExaBGP can run it as an API process
 * ({@code encoder json}); with files it replays recorded API output. Exit codes: 0 done, 1 Kafka
 * refused events or a file could not be read, 2 bad arguments.
 */
public final class ExaBgpRelay {

    static final String USAGE = "usage: exabgp-relay [--bootstrap host:port] [--bgp-topic meshwatch.bgp.v1] "
            + "[--router ID] [FILE...]";

    private ExaBgpRelay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command; returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        String[] router = {null};
        LineRelay.Options options;
        try {
            options = LineRelay.options(args, (k, v) -> {
                if (k.equals("--router")) {
                    router[0] = v;
                    return true;
                }
                return false;
            });
        } catch (IllegalArgumentException e) {
            err.println("exabgp-relay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        ExaBgpMapper mapper = new ExaBgpMapper(router[0]);
        return new LineRelay("exabgp-relay", "exabgp", err).run(options,
                (line, out) -> mapper.map(json.readTree(line), out));
    }
}
