package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code target/bench/rib.json} from the {@code RESULT name value} lines of the bench mains
 * and the JMH JSON result, and prints a table. A figure nobody measured stays null; the per-run
 * values of {@code RESULT name_runs a,b,c} lines go into {@code runs.name}.
 * Arguments: results.txt, jmh.json (may be missing), output file.
 */
public final class RibReport {

    /** Report field, JMH benchmark method it comes from (or null), target text. */
    private static final String[][] FIELDS = {
        {"rib_updates_per_s", null, ">= 600k/s (end to end Kafka -> packaged service -> table, 2 peers)"},
        {"raw_decode_prefixes_per_s", null, "anchor ~1.7M/s"},
        {"codec_decode_prefixes_per_s", null, ""},
        {"codec_vs_raw", null, ""},
        {"ratio_vs_raw", null, ">= 0.35 (rib_updates / raw_decode, same run)"},
        {"full_table_load_s", null, "<= 3 s (end to end, 1 peer = 1.25M paths)"},
        {"table_apply_paths_per_s", null, "upper bound for rib_updates_per_s"},
        {"heap_bytes_per_path", null, "<= 200"},
        {"lpm_ipv4_lookups_per_s", "apiIpv4", ">= 10M/s"},
        {"lpm_ipv6_lookups_per_s", "apiIpv6", ">= 3M/s"},
        {"lpm_ipv4_record_lookups_per_s", "recordIpv4", "allocating longestMatch record"},
        {"lpm_ipv4_prefix_only_lookups_per_s", "prefixOnlyIpv4", "longestMatchingPrefix"},
        {"raw_trie_ipv4_lookups_per_s", "rawTrieIpv4", "no lock, no result"},
        {"raw_trie_ipv6_lookups_per_s", "rawTrieIpv6", "no lock, no result"},
        {"meshwatch_mrt_load_s", null, "MRT file -> mrt-replay -> Kafka -> service table (1 peer)"},
        {"gobgp_mrt_load_s", null, "gobgp mrt inject global, launch to client exit, same file, same run"},
        {"gobgp_mrt_missed_paths", null, "paths GoBGP 3.10's inject client dropped at exit"},
        {"ratio_vs_gobgp", null, ">= 10 (gobgp_mrt_load_s / meshwatch_mrt_load_s)"},
        {"mrt_table_paths", null, "paths in the MRT file (1,250,000 = the full one-peer table)"},
    };

    private RibReport() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, double[]> runs = new LinkedHashMap<>();
        Path resultsFile = Path.of(args[0]);
        if (Files.exists(resultsFile)) {
            for (String line : Files.readAllLines(resultsFile)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("RESULT")) {
                    try {
                        if (f[1].endsWith("_runs")) {
                            runs.put(f[1].substring(0, f[1].length() - 5), list(f[2]));
                        } else {
                            results.put(f[1], Double.parseDouble(f[2]));
                        }
                    } catch (NumberFormatException notANumber) {
                        // anything else stays in the log only
                    }
                }
            }
        }
        ratio(results, "ratio_vs_raw", "rib_updates_per_s", "raw_decode_prefixes_per_s");
        ratio(results, "ratio_vs_gobgp", "gobgp_mrt_load_s", "meshwatch_mrt_load_s");
        Map<String, JsonNode> jmh = new LinkedHashMap<>();
        Path jmhFile = Path.of(args[1]);
        if (Files.exists(jmhFile) && Files.size(jmhFile) > 0) {
            for (JsonNode b : mapper.readTree(jmhFile.toFile())) {
                String name = b.get("benchmark").asText();
                jmh.put(name.substring(name.lastIndexOf('.') + 1), b.get("primaryMetric"));
            }
        }
        ObjectNode out = mapper.createObjectNode();
        System.out.printf(Locale.ROOT, "%-36s %16s  %s%n", "figure", "value", "note");
        for (String[] f : FIELDS) {
            Double v = results.get(f[0]);
            String extra = "";
            if (f[1] != null && jmh.containsKey(f[1])) {
                JsonNode m = jmh.get(f[1]);
                v = m.get("score").asDouble();
                extra = String.format(Locale.ROOT, " (JMH mean +- %.0f, %d iterations)", m.get("scoreError").asDouble(),
                        m.get("rawData").size() * m.get("rawData").get(0).size());
            }
            if (v == null) {
                out.putNull(f[0]);
            } else {
                out.put(f[0], v);
            }
            System.out.printf(Locale.ROOT, "%-36s %16s  %s%s%n", f[0], v == null ? "not measured" : fmt(v), f[2], extra);
        }
        ObjectNode perRun = out.putObject("runs");
        runs.forEach((name, values) -> {
            var array = perRun.putArray(name);
            for (double v : values) {
                array.add(v);
            }
        });
        ObjectNode machine = out.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("date", LocalDate.now().toString());
        mapper.writeValue(Path.of(args[2]).toFile(), out);
        System.out.println("wrote " + args[2]);
    }

    /** Puts {@code over / under} as {@code name} unless measured already or either is missing. */
    private static void ratio(Map<String, Double> results, String name, String over, String under) {
        Double a = results.get(over);
        Double b = results.get(under);
        if (a != null && b != null && b > 0) {
            results.putIfAbsent(name, a / b);
        }
    }

    private static double[] list(String csv) {
        String[] parts = csv.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Double.parseDouble(parts[i]);
        }
        return v;
    }

    private static String fmt(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
