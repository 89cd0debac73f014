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
 * and the JMH JSON result, and prints a table. A figure nobody measured stays null.
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
        {"meshwatch_mrt_load_s", null, ""},
        {"gobgp_mrt_load_s", null, ""},
        {"ratio_vs_gobgp", null, ""},
    };

    private RibReport() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Double> results = new LinkedHashMap<>();
        Path resultsFile = Path.of(args[0]);
        if (Files.exists(resultsFile)) {
            for (String line : Files.readAllLines(resultsFile)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("RESULT")) {
                    try {
                        results.put(f[1], Double.parseDouble(f[2]));
                    } catch (NumberFormatException notANumber) {
                        // lists of runs etc. stay in the log only
                    }
                }
            }
        }
        Double rib = results.get("rib_updates_per_s");
        Double raw = results.get("raw_decode_prefixes_per_s");
        if (rib != null && raw != null && raw > 0) {
            results.putIfAbsent("ratio_vs_raw", rib / raw);
        }
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
        ObjectNode machine = out.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("date", LocalDate.now().toString());
        mapper.writeValue(Path.of(args[2]).toFile(), out);
        System.out.println("wrote " + args[2]);
    }

    private static String fmt(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
