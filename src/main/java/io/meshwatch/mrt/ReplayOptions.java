package io.meshwatch.mrt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link MrtReplay}.
 *
 * @param rate events per second to produce at most, 0 for as fast as possible
 */
public record ReplayOptions(String bootstrap, String topic, String router, double rate, List<Path> files) {

    /** The usage line printed on bad arguments. */
    public static final String USAGE = "usage: MrtReplay [--bootstrap host:port] [--topic meshwatch.bgp.v1] "
            + "[--router ID] [--rate N/s] FILE...";

    /** Bad command-line arguments; the message says which. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments; defaults: {@code localhost:9092}, {@code meshwatch.bgp.v1}, router {@code mrt}. */
    public static ReplayOptions parse(String... args) throws UsageException {
        String bootstrap = "localhost:9092";
        String topic = "meshwatch.bgp.v1";
        String router = "mrt";
        double rate = 0;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--bootstrap" -> bootstrap = value(args, ++i, a);
                case "--topic" -> topic = value(args, ++i, a);
                case "--router" -> router = value(args, ++i, a);
                case "--rate" -> rate = rate(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("no MRT file given");
        }
        if (!bootstrap.matches("[^\\s:,]+:\\d{1,5}(,[^\\s:,]+:\\d{1,5})*")) {
            throw new UsageException("--bootstrap '" + bootstrap + "' is not host:port[,host:port...]");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new UsageException("cannot read file " + f);
            }
        }
        return new ReplayOptions(bootstrap, topic, router, rate, List.copyOf(files));
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].isBlank() || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static double rate(String s) throws UsageException {
        String n = s.endsWith("/s") ? s.substring(0, s.length() - 2) : s;
        try {
            double r = Double.parseDouble(n);
            if (r > 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("--rate '" + s + "' is not a positive number of events per second (e.g. 5000/s)");
    }
}
