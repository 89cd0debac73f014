package io.meshwatch.bmp;

/**
 * Cuts a BMP byte stream into messages by the common header's length. Bytes may arrive in any
 * chunking; an incomplete message is kept until the rest arrives.
 *
 * <p>BMP has no sync marker, so the length field is the only boundary: a header whose version is
 * not 3 or whose length is below 6 or above {@code maxMessageBytes} leaves nothing to resynchronise
 * on and is reported as fatal ({@link BmpError#BAD_VERSION}, {@link BmpError#BAD_LENGTH}). A sane
 * header is trusted: a body that later fails to decode is skipped by this length and the next
 * message starts right after it.
 *
 * <p>Not thread-safe: one framer per connection, fed by the thread reading it.
 */
public final class BmpFramer {

    /** Receives one whole message: {@code len} bytes at {@code off} of {@code buf}, valid during the call. */
    @FunctionalInterface
    public interface Sink {
        void message(byte[] buf, int off, int len, long streamOffset);
    }

    private final int maxMessageBytes;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private long consumed;

    public BmpFramer(int maxMessageBytes) {
        if (maxMessageBytes < BmpDecoder.COMMON_HEADER) {
            throw new IllegalArgumentException("max message bytes " + maxMessageBytes + " is below 6");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Appends bytes and hands every message they complete to {@code sink}, in order.
     *
     * @throws BmpFormatException (fatal) on a header that cannot be trusted; the stream offset of
     *                            that header is {@link #offset()}
     */
    public void feed(byte[] data, int off, int len, Sink sink) throws BmpFormatException {
        append(data, off, len);
        while (next(sink)) {
            // all complete messages
        }
    }

    /** Keeps bytes for {@link #next}. */
    public void append(byte[] data, int off, int len) {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (buf.length - end < len) {
            int live = end - start;
            if (buf.length - live >= len && start > 0) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(buf.length * 2, live + len)];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            }
            start = 0;
            end = live;
        }
        System.arraycopy(data, off, buf, end, len);
        end += len;
    }

    /**
     * Hands the next complete message to {@code sink}.
     *
     * @return false when no complete message is held
     * @throws BmpFormatException (fatal) on a header that cannot be trusted
     */
    public boolean next(Sink sink) throws BmpFormatException {
        if (end - start < BmpDecoder.COMMON_HEADER) {
            return false;
        }
        int version = buf[start] & 0xFF;
        long length = (buf[start + 1] & 0xFFL) << 24 | (buf[start + 2] & 0xFF) << 16
                | (buf[start + 3] & 0xFF) << 8 | buf[start + 4] & 0xFF;
        if (version != BmpDecoder.VERSION) {
            throw new BmpFormatException(BmpError.BAD_VERSION, "version " + version + " at byte " + consumed
                    + ", expected 3");
        }
        if (length < BmpDecoder.COMMON_HEADER || length > maxMessageBytes) {
            throw new BmpFormatException(BmpError.BAD_LENGTH, "message length " + length + " at byte " + consumed
                    + " is outside 6.." + maxMessageBytes);
        }
        if (end - start < length) {
            return false;
        }
        int n = (int) length;
        long at = consumed;
        start += n;
        consumed += n;
        sink.message(buf, start - n, n, at);
        return true;
    }

    /** Stream offset of the first byte not yet handed out (the start of an incomplete message, if any). */
    public long offset() {
        return consumed;
    }

    /** Bytes held of an incomplete message. */
    public int buffered() {
        return end - start;
    }
}
