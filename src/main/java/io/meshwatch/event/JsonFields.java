package io.meshwatch.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed, path-aware access to the fields of a JSON object, turning every problem into a
 * {@link RejectedRecordException} whose message names the field. Stateless.
 */
final class JsonFields {

    static final long MAX_AS = 0xFFFF_FFFFL;

    private JsonFields() {
    }

    static JsonNode node(JsonNode obj, String path, String field, boolean required) throws RejectedRecordException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new RejectedRecordException(RejectReason.MISSING_FIELD, "missing field '" + path + field + "'");
            }
            return null;
        }
        return n;
    }

    static JsonNode object(JsonNode obj, String path, String field, boolean required) throws RejectedRecordException {
        JsonNode n = node(obj, path, field, required);
        if (n != null && !n.isObject()) {
            throw wrongType(path + field, "an object", n);
        }
        return n;
    }

    static String text(JsonNode obj, String path, String field, boolean required) throws RejectedRecordException {
        JsonNode n = node(obj, path, field, required);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(path + field, "a string", n);
        }
        String s = n.textValue();
        if (required && s.isBlank()) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE, "field '" + path + field + "' is empty");
        }
        return s;
    }

    static String oneOf(JsonNode obj, String path, String field, boolean required, Set<String> allowed)
            throws RejectedRecordException {
        String s = text(obj, path, field, required);
        if (s != null && !allowed.contains(s)) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + path + field + "' is '" + s + "', expected one of " + allowed);
        }
        return s;
    }

    static Long integer(JsonNode obj, String path, String field, boolean required, long min, long max)
            throws RejectedRecordException {
        JsonNode n = node(obj, path, field, required);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= min && n.longValue() <= max) {
            return n.longValue(); // hot path: the field path is only built for an error message
        }
        return checkInteger(n, path + field, min, max);
    }

    static long checkInteger(JsonNode n, String where, long min, long max) throws RejectedRecordException {
        if (!n.isIntegralNumber()) {
            throw wrongType(where, "an integer", n);
        }
        if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + where + "' is " + n.asText() + ", outside " + min + ".." + max);
        }
        return n.longValue();
    }

    static long asNumber(JsonNode obj, String path, String field) throws RejectedRecordException {
        return checkInteger(node(obj, path, field, true), path + field, 0, MAX_AS);
    }

    static Double decimal(JsonNode obj, String path, String field, boolean required, double min, double max)
            throws RejectedRecordException {
        JsonNode n = node(obj, path, field, required);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw wrongType(path + field, "a number", n);
        }
        double d = n.doubleValue();
        if (!(d >= min && d <= max)) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + path + field + "' is " + n.asText() + ", outside " + min + ".." + max);
        }
        return d;
    }

    static boolean bool(JsonNode obj, String path, String field) throws RejectedRecordException {
        JsonNode n = node(obj, path, field, false);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw wrongType(path + field, "a boolean", n);
        }
        return n.booleanValue();
    }

    static Instant instant(JsonNode obj, String path, String field) throws RejectedRecordException {
        String s = text(obj, path, field, true);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + path + field + "' is '" + s + "', not an RFC 3339 timestamp such as 2026-11-26T08:00:00Z");
        }
    }

    /** An IPv4 or IPv6 address, returned in canonical text. */
    static String address(JsonNode obj, String path, String field, boolean required) throws RejectedRecordException {
        String s = text(obj, path, field, required);
        return s == null ? null : canonicalAddress(s, path + field);
    }

    static String canonicalAddress(String s, String where) throws RejectedRecordException {
        try {
            return IpAddress.parse(s).toString();
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + where + "': '" + s + "' is not an IPv4 or IPv6 address");
        }
    }

    /** An IPv4 address (a BGP identifier, ORIGINATOR_ID, CLUSTER_ID), returned in canonical text. */
    static String ipv4(String s, String where) throws RejectedRecordException {
        try {
            return Addresses.formatIpv4(Addresses.parseIpv4(s));
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field '" + where + "': '" + s + "' is not an IPv4 address (a 4-octet BGP identifier)");
        }
    }

    static Prefix prefix(String s, String where) throws RejectedRecordException {
        try {
            return Prefix.parse(s);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE, "field '" + where + "': " + e.getMessage());
        }
    }

    static List<String> strings(JsonNode obj, String path, String field) throws RejectedRecordException {
        JsonNode n = node(obj, path, field, false);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(path + field, "an array of strings", n);
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw wrongType(path + field + "[" + i + "]", "a string", e);
            }
            out.add(e.textValue());
        }
        return out;
    }

    static RejectedRecordException wrongType(String where, String expected, JsonNode got) {
        return new RejectedRecordException(RejectReason.WRONG_TYPE,
                "field '" + where + "' must be " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }
}
