package io.meshwatch.rib;

import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.routing.RouteTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The image of every router learned from one Kafka partition, as stored in {@code rib_snapshot.data}:
 * deflate over
 * <pre>
 * byte version (1); int routers
 * per router: utf router id; bool has localAs [long localAs]; int peers; per peer: utf key, utf vrf,
 *             utf address, int peerAs, int bgpId; bool has table [RibSnapshot table image]
 * </pre>
 * Plain Java; encode runs off the event loop (it holds each table's read lock while writing it).
 */
public final class PartitionSnapshot {

    public static final int VERSION = 1;

    /** The encoded image and what it holds, for the row and the log. */
    public record Encoded(byte[] data, int routers, long paths, long rawBytes, long lockMillis) {
    }

    private PartitionSnapshot() {
    }

    public static Encoded encode(List<RouterImage> images) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        long paths = 0;
        long lockNanos = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new DeflaterOutputStream(buf, deflater, 1 << 16), 1 << 16))) {
            out.writeByte(VERSION);
            out.writeInt(images.size());
            for (RouterImage i : images) {
                out.writeUTF(i.router());
                out.writeBoolean(i.localAs() != null);
                if (i.localAs() != null) {
                    out.writeLong(i.localAs());
                }
                out.writeInt(i.peers().size());
                for (Map.Entry<String, Peer> e : i.peers().entrySet()) {
                    Peer p = e.getValue();
                    out.writeUTF(e.getKey());
                    out.writeUTF(p.vrf());
                    out.writeUTF(p.address().toString());
                    out.writeInt(p.peerAs());
                    out.writeInt(p.bgpId());
                }
                out.writeBoolean(i.table() != null);
                if (i.table() != null) {
                    // written raw under the table's read lock (fast), compressed after it is released
                    RawBuffer raw = new RawBuffer();
                    long t0 = System.nanoTime();
                    try (DataOutputStream tableOut = new DataOutputStream(raw)) {
                        RibSnapshot.write(i.table(), tableOut);
                    }
                    lockNanos += System.nanoTime() - t0;
                    raw.writeTo(out);
                    paths += paths(i.table());
                }
            }
            out.flush();
            long raw = deflater.getBytesRead();
            out.close();
            return new Encoded(buf.toByteArray(), images.size(), paths, raw, lockNanos / 1_000_000);
        } finally {
            deflater.end();
        }
    }

    public static List<RouterImage> decode(byte[] data, Clock clock) throws IOException {
        return decode(data, clock, r -> true);
    }

    /**
     * The images of the routers {@code keep} accepts; the others' tables are read past and dropped at
     * once (so at most one unwanted table is in memory at a time).
     */
    public static List<RouterImage> decode(byte[] data, Clock clock, java.util.function.Predicate<String> keep)
            throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new InflaterInputStream(new ByteArrayInputStream(data)), 1 << 16))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("partition snapshot format " + version + " is not supported (expected "
                        + VERSION + ")");
            }
            int routers = in.readInt();
            List<RouterImage> out = new ArrayList<>(routers);
            for (int r = 0; r < routers; r++) {
                String router = in.readUTF();
                Long localAs = in.readBoolean() ? in.readLong() : null;
                int peerCount = in.readInt();
                Map<String, Peer> peers = new HashMap<>();
                for (int k = 0; k < peerCount; k++) {
                    String key = in.readUTF();
                    peers.put(key, new Peer(in.readUTF(), IpAddress.parse(in.readUTF()), in.readInt(), in.readInt()));
                }
                RouteTable table = in.readBoolean() ? RibSnapshot.read(in, clock) : null;
                if (keep.test(router)) {
                    out.add(new RouterImage(router, localAs, table, peers));
                }
            }
            return out;
        }
    }

    /** A byte buffer without the per-call locking of {@link ByteArrayOutputStream}: one writer. */
    private static final class RawBuffer extends ByteArrayOutputStream {
        RawBuffer() {
            super(1 << 16);
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(count + len, buf.length * 2));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }

    /** Received paths of a table in every VRF and family. */
    public static long paths(RouteTable t) {
        long n = 0;
        for (String vrf : t.vrfs()) {
            for (Afi afi : Afi.values()) {
                n += t.pathCount(vrf, afi);
            }
        }
        return n;
    }
}
