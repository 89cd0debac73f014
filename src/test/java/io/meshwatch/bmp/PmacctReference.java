package io.meshwatch.bmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.routing.IpAddress;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * pmacct's decoded output of a BMP stream (one JSON object per line, see
 * {@code shared/formats.md}), reduced to comparable text lines. The same reduction is applied to
 * Meshwatch's decoder output in {@link BmpMatchesPmacctTest}, so the two lists must be equal.
 */
final class PmacctReference {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PmacctReference() {
    }

    /** All lines of the reference, one per route, peer event, Initiation or statistics counter. */
    static List<JsonNode> read(String resource) {
        List<JsonNode> out = new ArrayList<>();
        byte[] gz = BmpCaptures.bytes(resource);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A list field pmacct writes either as a JSON array or as one space-separated string. */
    static List<String> list(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        } else if (!v.asText().isBlank()) {
            out.addAll(Arrays.asList(v.asText().trim().split("\\s+")));
        }
        return out;
    }

    /** The canonical rib name of a pmacct line. */
    static String rib(JsonNode n) {
        if (n.path("is_loc").asInt(0) == 1) {
            return "loc-rib";
        }
        String post = n.path("is_post").asInt(0) == 1 ? "post" : "pre";
        return (n.path("is_out").asInt(0) == 1 ? "adj-out-" : "adj-in-") + post;
    }

    /** pmacct's {@code type:admin:number} route distinguisher as routers print it ({@code admin:number}). */
    static String rd(JsonNode n) {
        String rd = text(n, "rd");
        if (rd == null) {
            return null;
        }
        int colon = rd.indexOf(':');
        return rd.substring(colon + 1);
    }

    static String origin(String pmacct) {
        return pmacct == null ? null : switch (pmacct) {
            case "i" -> "igp";
            case "e" -> "egp";
            case "u" -> "incomplete";
            default -> pmacct;
        };
    }

    /**
     * An address in canonical text; an IPv4-mapped IPv6 address (the next hop of a VPNv6 or
     * 6PE route over an IPv4 core) as its IPv4 address, since pmacct prints it either way.
     */
    static String address(String text) {
        if (text == null) {
            return null;
        }
        String canonical = IpAddress.parse(text).toString();
        return canonical.startsWith("::ffff:") && canonical.indexOf(':', 7) > 0
                ? IpAddress.ipv4((int) IpAddress.parse(text).lo()).toString() : canonical;
    }

    /** Communities in numeric order (pmacct sorts them; the UPDATE need not). */
    static String sortedCommunities(List<String> communities) {
        List<String> sorted = new ArrayList<>(communities);
        sorted.sort(java.util.Comparator.comparingLong(PmacctReference::communityValue));
        return String.join(" ", sorted);
    }

    private static long communityValue(String c) {
        int colon = c.indexOf(':');
        return Long.parseLong(c.substring(0, colon)) << 16 | Long.parseLong(c.substring(colon + 1));
    }

    static String extCommunity(String pmacct) {
        return pmacct.toLowerCase(Locale.ROOT);
    }

    /** pmacct's {@code seconds.micros}. */
    static String time(JsonNode n) {
        return text(n, "timestamp");
    }
}
