package io.meshwatch.bmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streams recorded BMP sessions to a collector, as a router would:
 * {@code BmpReplay [--host 127.0.0.1] [--port 11019] [--rate N] [--sys-name NAME] FILE...}.
 *
 * <p>Each file (raw BMP bytes, optionally gzip) is sent over its own TCP connection, message by
 * message ({@code --rate} caps messages per second), then the connection is closed.
 * {@code --sys-name} replaces the sysName of the Initiation message, so one capture can play
 * several routers. Exit codes: 0 done, 1 a file or the connection failed, 2 bad arguments.
 * Runs on the calling thread.
 */
public final class BmpReplay {

    static final String USAGE = "usage: bmp-replay [--host 127.0.0.1] [--port 11019] [--rate N/s] "
            + "[--sys-name NAME] FILE...";

    private BmpReplay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command; returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        String host = "127.0.0.1";
        int port = 11019;
        double rate = 0;
        String sysName = null;
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host" -> host = value(args, ++i);
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--rate" -> rate = Double.parseDouble(value(args, ++i));
                    case "--sys-name" -> sysName = value(args, ++i);
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        files.add(Path.of(args[i]));
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no file given");
            }
        } catch (IllegalArgumentException e) {
            err.println("bmp-replay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        for (Path f : files) {
            try {
                long[] sent = replay(read(f), host, port, rate, sysName);
                err.printf("bmp-replay: %s: %d messages, %d bytes to %s:%d%n", f, sent[0], sent[1], host, port);
            } catch (IOException | BmpFormatException e) {
                err.println("bmp-replay: " + f + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static byte[] read(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] raw = in.readAllBytes();
            if (raw.length > 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B) {
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                    return gz.readAllBytes();
                }
            }
            return raw;
        }
    }

    /** Sends one stream over one connection; returns {messages, bytes}. */
    static long[] replay(byte[] stream, String host, int port, double rate, String sysName)
            throws IOException, BmpFormatException {
        List<byte[]> messages = new ArrayList<>();
        BmpFramer framer = new BmpFramer(Integer.MAX_VALUE);
        framer.feed(stream, 0, stream.length, (buf, off, len, at) -> {
            byte[] m = java.util.Arrays.copyOfRange(buf, off, off + len);
            messages.add(sysName != null && m[5] == BmpMessage.INITIATION ? renamed(m, sysName) : m);
        });
        if (framer.buffered() > 0) {
            throw new BmpFormatException(BmpError.TRUNCATED, "the file ends inside a message at byte "
                    + framer.offset());
        }
        long bytes = 0;
        long start = System.nanoTime();
        try (Socket s = new Socket(host, port); OutputStream out = s.getOutputStream()) {
            for (int i = 0; i < messages.size(); i++) {
                if (rate > 0) {
                    long due = start + (long) (i / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        out.flush();
                        sleep(wait);
                    }
                }
                out.write(messages.get(i));
                bytes += messages.get(i).length;
            }
            out.flush();
        }
        return new long[] {messages.size(), bytes};
    }

    /** The Initiation with its sysName TLV (type 2) replaced, other TLVs kept. */
    static byte[] renamed(byte[] initiation, String sysName) {
        ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
        int i = BmpDecoder.COMMON_HEADER;
        while (i + 4 <= initiation.length) {
            int type = (initiation[i] & 0xFF) << 8 | initiation[i + 1] & 0xFF;
            int len = (initiation[i + 2] & 0xFF) << 8 | initiation[i + 3] & 0xFF;
            if (type != 2) {
                tlvs.write(initiation, i, Math.min(4 + len, initiation.length - i));
            }
            i += 4 + len;
        }
        byte[] name = sysName.getBytes(StandardCharsets.UTF_8);
        tlvs.write(0);
        tlvs.write(2);
        tlvs.write(name.length >>> 8);
        tlvs.write(name.length);
        tlvs.writeBytes(name);
        int total = BmpDecoder.COMMON_HEADER + tlvs.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        out.write(BmpDecoder.VERSION);
        out.write(total >>> 24);
        out.write(total >>> 16);
        out.write(total >>> 8);
        out.write(total);
        out.write(BmpMessage.INITIATION);
        out.writeBytes(tlvs.toByteArray());
        return out.toByteArray();
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
