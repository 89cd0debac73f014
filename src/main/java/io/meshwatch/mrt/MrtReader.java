package io.meshwatch.mrt;

import io.meshwatch.bgp.BgpWireException;
import io.meshwatch.bgp.Cursor;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Streams {@link MrtRecord}s out of an MRT file (RFC 6396, RFC 8050), gzip-compressed or plain
 * (told apart by the gzip magic bytes).
 *
 * <p>Never throws out of the iteration: a record that does not decode is counted in
 * {@link #stats()} with its byte offset (in the uncompressed stream) and skipped using the length
 * in its header; reading stops when a header or a record is cut short, when a header announces an
 * implausible length, or when the underlying stream fails. PEER_INDEX_TABLE records are consumed
 * here; OPEN/KEEPALIVE/NOTIFICATION messages yield nothing.
 *
 * <p>Not thread-safe: iterate and read {@link #stats()} from one thread.
 * {@link #sourceBytesRead()} may be read from any thread (for progress).
 */
public final class MrtReader implements Iterator<MrtRecord>, Closeable {

    /** Longest record believed; a longer one means a corrupt header (RIB records reach a few hundred KB). */
    public static final int MAX_RECORD_LENGTH = 16 << 20;

    private static final int HEADER = 12;

    private final CountingStream source;
    private final InputStream in;
    private final MrtStats stats = new MrtStats();
    private final TableDumpDecoder tables = new TableDumpDecoder();
    private final byte[] header = new byte[HEADER];
    private byte[] body = new byte[1 << 16];
    private long offset;
    private MrtRecord next;
    private boolean done;

    private MrtReader(InputStream raw) throws IOException {
        this.source = new CountingStream(raw);
        // small buffers on the compressed side keep sourceBytesRead() close to what was decoded
        BufferedInputStream buffered = new BufferedInputStream(source, 8192);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        this.in = b0 == 0x1f && b1 == 0x8b
                ? new BufferedInputStream(new GZIPInputStream(buffered, 8192), 1 << 16)
                : buffered;
    }

    /** A reader over a stream, which it closes on {@link #close()}. */
    public static MrtReader open(InputStream in) throws IOException {
        return new MrtReader(in);
    }

    /** A reader over a file. */
    public static MrtReader open(Path file) throws IOException {
        return new MrtReader(Files.newInputStream(file));
    }

    /** The counters of this read so far. */
    public MrtStats stats() {
        return stats;
    }

    /** Bytes consumed from the underlying (possibly compressed) stream, read ahead by up to 16 KiB. */
    public long sourceBytesRead() {
        return source.count;
    }

    /** Bytes of MRT data (uncompressed) consumed so far. */
    public long offset() {
        return offset;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            next = readOne();
        }
        return next != null;
    }

    @Override
    public MrtRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        MrtRecord r = next;
        next = null;
        return r;
    }

    @Override
    public void close() throws IOException {
        done = true;
        in.close();
    }

    /** Reads one record; null when it yields nothing (skipped, PEER_INDEX_TABLE, ...) or at the end. */
    private MrtRecord readOne() {
        long at = offset;
        int got;
        try {
            got = in.readNBytes(header, 0, HEADER);
        } catch (IOException e) {
            return stop(SkipReason.IO_ERROR, at, "reading a record header: " + e);
        }
        if (got == 0) {
            done = true;
            return null;
        }
        if (got < HEADER) {
            return stop(SkipReason.TRUNCATED_HEADER, at, "stream ends " + got + " bytes into a record header");
        }
        long seconds = u32(header, 0);
        int type = (header[4] & 0xFF) << 8 | header[5] & 0xFF;
        int subtype = (header[6] & 0xFF) << 8 | header[7] & 0xFF;
        long length = u32(header, 8);
        if (length > MAX_RECORD_LENGTH) {
            return stop(SkipReason.IMPLAUSIBLE_LENGTH, at, "record length " + length + " (type " + type + "/"
                    + subtype + ") exceeds " + MAX_RECORD_LENGTH + "; no trusted boundary, reading stopped");
        }
        int len = (int) length;
        if (body.length < len) {
            body = new byte[Math.max(len, body.length * 2)];
        }
        try {
            got = in.readNBytes(body, 0, len);
        } catch (IOException e) {
            return stop(SkipReason.IO_ERROR, at, "reading a record body: " + e);
        }
        if (got < len) {
            return stop(SkipReason.TRUNCATED_RECORD, at, "record of " + len + " bytes cut after " + got);
        }
        offset += HEADER + len;
        String name = MrtTypes.name(type, subtype);
        stats.record(name);
        Reporter reporter = (reason, message) -> stats.skip(reason, at, name + ": " + message);
        try {
            return decode(at, seconds, type, subtype, new Cursor(body, 0, len), reporter);
        } catch (MrtFormatException e) {
            reporter.skip(e.reason(), e.getMessage());
        } catch (BgpWireException e) {
            reporter.report(e.issue(), e.getMessage());
        } catch (RuntimeException e) {
            reporter.skip(SkipReason.MALFORMED, e.toString());
        }
        return null;
    }

    private MrtRecord decode(long at, long seconds, int type, int subtype, Cursor c, Reporter r)
            throws BgpWireException {
        Instant time = Instant.ofEpochSecond(seconds);
        switch (type) {
            case MrtTypes.TABLE_DUMP:
                return tables.tableDump(at, time, subtype, c, r);
            case MrtTypes.TABLE_DUMP_V2:
                return tables.tableDumpV2(at, time, subtype, c, r);
            case MrtTypes.BGP4MP:
                return Bgp4mpDecoder.decode(at, time, subtype, c, r);
            case MrtTypes.BGP4MP_ET:
                long micros = c.u32("microsecond timestamp");
                if (micros > 999_999) {
                    throw new MrtFormatException(SkipReason.MALFORMED, "microseconds " + micros + " > 999999");
                }
                return Bgp4mpDecoder.decode(at, time.plusNanos(micros * 1000), subtype, c, r);
            default:
                throw new MrtFormatException(SkipReason.UNKNOWN_TYPE, "MRT type " + type + " not handled, "
                        + c.remaining() + " bytes skipped");
        }
    }

    private MrtRecord stop(SkipReason reason, long at, String message) {
        stats.skip(reason, at, message);
        done = true;
        return null;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
    }

    /** Counts bytes pulled from the source; the count is published for a progress thread. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
