package io.meshwatch.bmp;

import io.meshwatch.bgp.UpdateMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A BMP forwarder for the live failover test (test scope): listens where the router dials, passes
 * every byte on at once to the collector of the running service (on 127.0.0.1), and meanwhile
 * decodes the stream with the collector's own framer and decoder, keeping each message with the time
 * its last bytes arrived. So the test can show which BMP messages the collector got and when, and
 * compare the router's per-peer header timestamps with their arrival. It forwards before it decodes,
 * so it adds well under a millisecond.
 */
final class BmpTap implements AutoCloseable {

    /** One message as it arrived: decoded, or the reason it did not decode. */
    record Seen(Instant arrival, BmpMessage message, String error) {

        /** One line: type, peer, header time (as the router stamped it), and what it says. */
        String describe() {
            if (message == null) {
                return "undecodable: " + error;
            }
            if (message instanceof BmpMessage.Initiation i) {
                return "Initiation sysName=" + i.sysName() + " sysDescr="
                        + (i.sysDescr() == null ? null : i.sysDescr().lines().findFirst().orElse(""));
            }
            if (message instanceof BmpMessage.PeerUp u) {
                return "Peer Up " + peer(u.peer()) + " local " + u.localAddress() + " hold " + u.sent().holdTime()
                        + "/" + u.received().holdTime() + " s" + header(u.peer());
            }
            if (message instanceof BmpMessage.PeerDown d) {
                return "Peer Down " + peer(d.peer()) + " reason " + d.reason() + " (" + d.detail() + ")"
                        + header(d.peer());
            }
            if (message instanceof BmpMessage.RouteMonitoring r) {
                return "Route Monitoring " + peer(r.peer()) + " " + r.peer().rib() + " " + update(r.update())
                        + header(r.peer());
            }
            if (message instanceof BmpMessage.StatisticsReport st) {
                return "Statistics Report " + peer(st.peer()) + " " + st.counters() + header(st.peer());
            }
            if (message instanceof BmpMessage.Termination t) {
                return "Termination reason " + t.reason();
            }
            return message.typeName();
        }

        /** The per-peer header's timestamp, null when there is none or it is zero. */
        Instant headerTime() {
            BmpMessage.PeerHeader h = header();
            return h == null ? null : h.time();
        }

        /** The per-peer header's peer address, or null. */
        String peer() {
            BmpMessage.PeerHeader h = header();
            return h == null ? null : h.peer();
        }

        private BmpMessage.PeerHeader header() {
            BmpMessage.PeerHeader h = null;
            if (message instanceof BmpMessage.PeerUp u) {
                h = u.peer();
            } else if (message instanceof BmpMessage.PeerDown d) {
                h = d.peer();
            } else if (message instanceof BmpMessage.RouteMonitoring r) {
                h = r.peer();
            } else if (message instanceof BmpMessage.StatisticsReport st) {
                h = st.peer();
            }
            return h;
        }

        private static String peer(BmpMessage.PeerHeader h) {
            return h.peer() + " AS" + h.peerAs();
        }

        private static String header(BmpMessage.PeerHeader h) {
            return h.time() == null ? ", header time 0" : ", header time " + h.time();
        }

        private static String update(UpdateMessage u) {
            if (u.endOfRib() != null) {
                return "End-of-RIB";
            }
            List<String> parts = new ArrayList<>();
            u.withdrawals().forEach(w -> parts.add("withdraw " + w.nlri().stream().map(n -> n.prefix().toString())
                    .collect(Collectors.joining(","))));
            u.announces().forEach(a -> parts.add("announce " + a.nlri().stream().map(n -> n.prefix().toString())
                    .collect(Collectors.joining(",")) + " as-path " + a.attributes().asPath() + " next-hop "
                    + a.attributes().nextHop()));
            return String.join("; ", parts);
        }
    }

    private final ServerSocket server;
    private final int collectorPort;
    private final List<Seen> seen = new ArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /** Listens on {@code host} (any free port) and forwards to the collector on 127.0.0.1:{@code collectorPort}. */
    BmpTap(String host, int collectorPort) throws IOException {
        this.collectorPort = collectorPort;
        this.server = new ServerSocket(0, 8, InetAddress.getByName(host));
        Thread t = new Thread(this::accept, "bmp-tap-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every message so far, in arrival order. */
    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    private synchronized void add(Seen s) {
        seen.add(s);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket router = server.accept();
                Socket collector = new Socket(InetAddress.getLoopbackAddress(), collectorPort);
                router.setTcpNoDelay(true);
                collector.setTcpNoDelay(true);
                sockets.add(router);
                sockets.add(collector);
                start("bmp-tap-up", () -> forward(router, collector, true));
                start("bmp-tap-down", () -> forward(collector, router, false));
            } catch (IOException e) {
                // closed, or the collector refused: the router sees its connection end and retries
            }
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void forward(Socket from, Socket to, boolean decode) {
        BmpFramer framer = new BmpFramer(1 << 20);
        BmpDecoder decoder = new BmpDecoder((issue, message) -> { });
        boolean decoding = decode;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                Instant arrival = Instant.now();
                out.write(buf, 0, n);
                out.flush();
                if (!decoding) {
                    continue;
                }
                try {
                    framer.feed(buf, 0, n, (b, off, len, at) -> {
                        try {
                            add(new Seen(arrival, decoder.decode(b, off, len, at), null));
                        } catch (BmpFormatException e) {
                            // the bytes too, so that a message the collector refuses can become a test case
                            add(new Seen(arrival, null, e.getMessage() + "; bytes: "
                                    + HexFormat.of().formatHex(b, off, off + Math.min(len, 512))));
                        }
                    });
                } catch (BmpFormatException e) {
                    add(new Seen(arrival, null, "stream unreadable from here on: " + e.getMessage()));
                    decoding = false;
                }
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(BmpTap::close);
    }
}
