package io.meshwatch.strongswan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vici wire protocol of strongSwan's {@code charon} (its {@code libcharon/plugins/vici/README.md}),
 * as a plain codec without I/O.
 *
 * <p>Transport: each packet is a 4-byte big-endian length followed by that many bytes: one byte of
 * packet type, for the named types a one-byte name length and the name, and for the types that carry
 * one a message. A message is a sequence of elements: {@code SECTION_START name}, {@code SECTION_END},
 * {@code KEY_VALUE name value} (a two-byte big-endian value length), {@code LIST_START name},
 * {@code LIST_ITEM value}, {@code LIST_END}; names are one-byte-length strings. Decoded messages are
 * ordered maps: a value is a {@code String}, a section a {@code Map<String, Object>}, a list a
 * {@code List<String>} (values are read as UTF-8; the protocol carries bytes, and every value the relay
 * reads is text).
 *
 * <p>Stateless; thread-safe.
 */
public final class Vici {

    /** Packet types. */
    public static final int CMD_REQUEST = 0;
    public static final int CMD_RESPONSE = 1;
    public static final int CMD_UNKNOWN = 2;
    public static final int EVENT_REGISTER = 3;
    public static final int EVENT_UNREGISTER = 4;
    public static final int EVENT_CONFIRM = 5;
    public static final int EVENT_UNKNOWN = 6;
    public static final int EVENT = 7;

    /** Message element types. */
    static final int SECTION_START = 1;
    static final int SECTION_END = 2;
    static final int KEY_VALUE = 3;
    static final int LIST_START = 4;
    static final int LIST_ITEM = 5;
    static final int LIST_END = 6;

    /** The largest packet accepted (charon's own limit is 512 KiB). */
    public static final int MAX_PACKET = 512 * 1024;

    /** A decoded packet: its type, its name (null for unnamed types) and its message (empty when none). */
    public record Packet(int type, String name, Map<String, Object> message) {
    }

    private Vici() {
    }

    /** Whether packets of this type carry a name. */
    static boolean named(int type) {
        return type == CMD_REQUEST || type == EVENT_REGISTER || type == EVENT_UNREGISTER || type == EVENT;
    }

    /** Whether packets of this type carry a message. */
    static boolean hasMessage(int type) {
        return type == CMD_REQUEST || type == CMD_RESPONSE || type == EVENT;
    }

    /** Encodes a packet with its 4-byte length prefix. */
    public static byte[] encode(int type, String name, Map<String, ?> message) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(type);
        if (named(type)) {
            name(body, name);
        }
        if (hasMessage(type) && message != null) {
            elements(body, message);
        }
        byte[] b = body.toByteArray();
        byte[] out = new byte[4 + b.length];
        out[0] = (byte) (b.length >>> 24);
        out[1] = (byte) (b.length >>> 16);
        out[2] = (byte) (b.length >>> 8);
        out[3] = (byte) b.length;
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }

    private static void elements(ByteArrayOutputStream out, Map<String, ?> message) {
        for (Map.Entry<String, ?> e : message.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                out.write(SECTION_START);
                name(out, e.getKey());
                @SuppressWarnings("unchecked")
                Map<String, ?> section = (Map<String, ?>) m;
                elements(out, section);
                out.write(SECTION_END);
            } else if (v instanceof List<?> list) {
                out.write(LIST_START);
                name(out, e.getKey());
                for (Object item : list) {
                    out.write(LIST_ITEM);
                    value(out, String.valueOf(item));
                }
                out.write(LIST_END);
            } else {
                out.write(KEY_VALUE);
                name(out, e.getKey());
                value(out, String.valueOf(v));
            }
        }
    }

    private static void name(ByteArrayOutputStream out, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 255) {
            throw new IllegalArgumentException("a vici name has 1 to 255 bytes: '" + name + "'");
        }
        out.write(b.length);
        out.write(b, 0, b.length);
    }

    private static void value(ByteArrayOutputStream out, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("a vici value has at most 65535 bytes");
        }
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.write(b, 0, b.length);
    }

    /**
     * Decodes one packet's bytes (after the length prefix).
     *
     * @throws ViciFormatException when the bytes are not a well-formed packet
     */
    public static Packet decode(byte[] b) throws ViciFormatException {
        Reader r = new Reader(b);
        int type = r.u8("packet type");
        if (type > EVENT) {
            throw new ViciFormatException("unknown packet type " + type);
        }
        String name = named(type) ? r.name() : null;
        Map<String, Object> message = Map.of();
        if (hasMessage(type)) {
            message = r.section(false);
        } else if (r.pos < b.length) {
            throw new ViciFormatException((b.length - r.pos) + " bytes after a packet of type " + type);
        }
        return new Packet(type, name, message);
    }

    /** Reads the 4-byte length prefix; refuses lengths above {@link #MAX_PACKET}. */
    public static int length(byte[] prefix) throws ViciFormatException {
        long n = ((prefix[0] & 0xffL) << 24) | ((prefix[1] & 0xff) << 16) | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
        if (n < 1 || n > MAX_PACKET) {
            throw new ViciFormatException("packet length " + n + " is outside 1.." + MAX_PACKET);
        }
        return (int) n;
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8(String what) throws ViciFormatException {
            if (pos >= b.length) {
                throw new ViciFormatException("packet ends before its " + what + " at byte " + pos);
            }
            return b[pos++] & 0xff;
        }

        String name() throws ViciFormatException {
            int n = u8("name length");
            return text(n, "name");
        }

        String value() throws ViciFormatException {
            int n = (u8("value length") << 8) | u8("value length");
            return text(n, "value");
        }

        String text(int n, String what) throws ViciFormatException {
            if (pos + n > b.length) {
                throw new ViciFormatException("a " + what + " of " + n + " bytes runs past the packet's end at byte "
                        + pos);
            }
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** Elements until SECTION_END ({@code nested}) or the end of the packet. */
        Map<String, Object> section(boolean nested) throws ViciFormatException {
            Map<String, Object> out = new LinkedHashMap<>();
            while (pos < b.length) {
                int t = u8("element type");
                switch (t) {
                    case SECTION_START -> {
                        String n = name();
                        out.put(n, section(true));
                    }
                    case SECTION_END -> {
                        if (!nested) {
                            throw new ViciFormatException("section end without a section at byte " + (pos - 1));
                        }
                        return Collections.unmodifiableMap(out);
                    }
                    case KEY_VALUE -> {
                        String n = name();
                        out.put(n, value());
                    }
                    case LIST_START -> {
                        String n = name();
                        out.put(n, list());
                    }
                    default -> throw new ViciFormatException("element type " + t + " where a section member belongs"
                            + " at byte " + (pos - 1));
                }
            }
            if (nested) {
                throw new ViciFormatException("packet ends inside a section");
            }
            return Collections.unmodifiableMap(out);
        }

        List<String> list() throws ViciFormatException {
            List<String> out = new ArrayList<>();
            while (true) {
                int t = u8("list element");
                if (t == LIST_END) {
                    return List.copyOf(out);
                }
                if (t != LIST_ITEM) {
                    throw new ViciFormatException("element type " + t + " inside a list at byte " + (pos - 1));
                }
                out.add(value());
            }
        }
    }
}
