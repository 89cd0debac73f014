package io.meshwatch.bmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real routers with IPSec tunnels for the live failover test (test scope, needs root): FRR
 * {@code bgpd} r1 (AS 65010) and r2 (AS 65020), each with its own strongSwan {@code charon}, in
 * network namespaces of their own. The primary tunnel rides a "circuit": r1's interface {@code circ}
 * is a veth into a third namespace cx, where a Linux bridge joins it to r2's; the backup tunnel rides
 * a direct veth ("internet"). Inside each tunnel an eBGP session runs between /32 inner addresses on
 * the loopbacks (9 s hold time, 3 s keepalives, connect retry 1 s; r1 connects, r2 only listens); r2 originates {@link #WATCHED}
 * over both, with its AS prepended twice towards the backup, so r1 prefers the primary. r1 streams
 * BMP (post-policy Adj-RIB-In) through a veth into the root namespace, to a {@link BmpTap} in front
 * of the collector.
 *
 * <pre>
 *  ns r1 circ 198.18.71.1 ── ca [br0 in ns cx] cz ── circ 198.18.71.2 ns r2      primary IKE/ESP-in-UDP
 *  ns r1 inet 198.18.72.1 ─────────────────────────── inet 198.18.72.2 ns r2     backup IKE/ESP-in-UDP
 *  tunnels: 10.255.1.1 === 10.255.1.2 (primary), 10.255.2.1 === 10.255.2.2 (backup), eBGP inside each
 *  ns r1 col ── root namespace (BMP to the tap, then the collector on 127.0.0.1)
 * </pre>
 *
 * <p>{@link #cut()} takes the bridge's port towards r2 out of the bridge, as a cross-connect cut on
 * the far side: r1's {@code circ} stays up, only the path beyond it is gone; {@link #repair()} puts
 * it back. The routers' own logs (FRR with millisecond timestamps, neighbour events and the best-path
 * decisions for {@link #WATCHED}; charon's IKE log) are the truth the test measures Meshwatch against;
 * every daemon runs with {@code TZ=UTC} so their times read as UTC.
 *
 * <p>strongSwan: each {@code charon} runs in its own namespace with its own {@code strongswan.conf}
 * ({@code STRONGSWAN_CONF}), VICI socket and log in the lab's directory, and a private tmpfs on
 * {@code /run} (its PID file path, {@code /var/run/charon.pid}, is compiled in, so two daemons would
 * otherwise refuse each other). The kernel has no ESP, so the {@code kernel-libipsec} plugin does ESP
 * in user space over a TUN device ({@code ipsec0}), UDP-encapsulated, and installs the routes to the
 * far inner address into table 220. IKEv2 with pre-shared keys, aes128-sha256-modp2048 / esp
 * aes128-sha256. r1 initiates both and, on dead-peer detection (1 s), restarts the tunnel; retransmits
 * are 1 s apart and give up after 3 tries, so a repaired circuit carries the tunnel again within 3 s.
 *
 * <p>Names carry the run id; {@link #close()} (and a shutdown hook) stops every daemon it started, by
 * its own handle, and deletes the namespaces, which takes their links with them.
 */
final class FailoverLab implements AutoCloseable {

    static final String R1_PRIMARY = "10.255.1.1";
    static final String R2_PRIMARY = "10.255.1.2";
    static final String R1_BACKUP = "10.255.2.1";
    static final String R2_BACKUP = "10.255.2.2";
    static final String R1_CIRCUIT = "198.18.71.1";
    static final String R2_CIRCUIT = "198.18.71.2";
    static final String R1_INTERNET = "198.18.72.1";
    static final String R2_INTERNET = "198.18.72.2";
    /** r1's interface on the circuit (the circuit's A end in the inventory). */
    static final String CIRCUIT_INTERFACE = "circ";
    static final String WATCHED = "10.77.0.0/24";
    static final long R1_AS = 65010;
    static final long R2_AS = 65020;
    static final String BGPD = "/usr/lib/frr/bgpd";
    static final String CHARON = "/usr/lib/ipsec/charon";
    static final String LIBIPSEC = "/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so";
    /** Bound for every daemon, in case everything else fails. */
    private static final int DAEMON_SECONDS = 600;

    final String id;
    final Path dir;
    final String nsR1;
    final String nsR2;
    final String nsCx;
    final String r1Name;
    final String r2Name;
    private final String rootLink;
    private final List<Process> daemons = new ArrayList<>();
    private final List<String> daemonNames = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanUp, "failover-lab-cleanup");
    private BmpTap tap;

    private FailoverLab(String id, Path dir, String r1Name, String r2Name) {
        this.id = id;
        this.dir = dir;
        this.r1Name = r1Name;
        this.r2Name = r2Name;
        this.nsR1 = "mwf" + id + "-r1";
        this.nsR2 = "mwf" + id + "-r2";
        this.nsCx = "mwf" + id + "-cx";
        this.rootLink = "mwf" + id + "c";
    }

    /**
     * Builds the namespaces, links and the bridge, starts both charons and both bgpds; r1 (FRR
     * hostname {@code r1Name}, its BMP sysName) dials BMP to a tap that forwards to the collector on
     * 127.0.0.1:{@code collectorPort}.
     */
    static FailoverLab start(Path dir, String id, String r1Name, String r2Name, int collectorPort) throws Exception {
        Files.createDirectories(dir);
        FailoverLab lab = new FailoverLab(id, dir, r1Name, r2Name);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            String subnet = LiveLab.freeSubnet();
            String collectorSide = host(subnet, 1);
            lab.network(collectorSide, host(subnet, 2));
            lab.tap = new BmpTap(collectorSide, collectorPort);
            lab.startTunnels();
            lab.startRouters(collectorSide, lab.tap.port());
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    private static String host(String subnet, int n) {
        String[] p = subnet.split("\\.");
        return p[0] + "." + p[1] + "." + p[2] + "." + (Integer.parseInt(p[3]) + n);
    }

    private void network(String collectorSide, String r1Side) {
        for (String ns : List.of(nsR1, nsR2, nsCx)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        // the circuit: r1 circ ── ca [br0] cz ── r2 circ
        sh("ip", "link", "add", CIRCUIT_INTERFACE, "netns", nsR1, "type", "veth", "peer", "name", "ca", "netns", nsCx);
        sh("ip", "link", "add", CIRCUIT_INTERFACE, "netns", nsR2, "type", "veth", "peer", "name", "cz", "netns", nsCx);
        sh("ip", "-n", nsCx, "link", "add", "br0", "type", "bridge");
        for (String port : List.of("ca", "cz")) {
            sh("ip", "-n", nsCx, "link", "set", port, "master", "br0");
            sh("ip", "-n", nsCx, "link", "set", port, "up");
        }
        sh("ip", "-n", nsCx, "link", "set", "br0", "up");
        address(nsR1, CIRCUIT_INTERFACE, R1_CIRCUIT + "/30");
        address(nsR2, CIRCUIT_INTERFACE, R2_CIRCUIT + "/30");
        // the internet: a direct link
        sh("ip", "link", "add", "inet", "netns", nsR1, "type", "veth", "peer", "name", "inet", "netns", nsR2);
        address(nsR1, "inet", R1_INTERNET + "/30");
        address(nsR2, "inet", R2_INTERNET + "/30");
        // the tunnels' inner addresses
        for (String a : List.of(R1_PRIMARY, R1_BACKUP)) {
            sh("ip", "-n", nsR1, "addr", "add", a + "/32", "dev", "lo");
        }
        for (String a : List.of(R2_PRIMARY, R2_BACKUP)) {
            sh("ip", "-n", nsR2, "addr", "add", a + "/32", "dev", "lo");
        }
        // BMP: r1 into the root namespace
        sh("ip", "link", "add", rootLink, "type", "veth", "peer", "name", "col", "netns", nsR1);
        sh("ip", "addr", "add", collectorSide + "/30", "dev", rootLink);
        sh("ip", "link", "set", rootLink, "up");
        address(nsR1, "col", r1Side + "/30");
    }

    private static void address(String ns, String dev, String cidr) {
        sh("ip", "-n", ns, "addr", "add", cidr, "dev", dev);
        sh("ip", "-n", ns, "link", "set", dev, "up");
    }

    /** Takes the bridge's port towards r2 out of the bridge (r1's interface stays up); returns when done. */
    Instant cut() {
        sh("ip", "-n", nsCx, "link", "set", "cz", "nomaster");
        return Instant.now();
    }

    /** Puts the port back into the bridge; returns when done. */
    Instant repair() {
        sh("ip", "-n", nsCx, "link", "set", "cz", "master", "br0");
        return Instant.now();
    }

    /** r1's circuit interface as r1 sees it ({@code ip link} line). */
    String r1CircuitLink() {
        return sh("ip", "-n", nsR1, "-o", "link", "show", CIRCUIT_INTERFACE).trim();
    }

    private void startTunnels() throws IOException, InterruptedException {
        for (String r : List.of("r1", "r2")) {
            Files.createDirectories(dir.resolve(r));
            write(r + "/strongswan.conf", strongswanConf(r));
            write(r + "/swanctl.conf", swanctlConf(r));
            Path conf = dir.resolve(r + "/strongswan.conf");
            // a private /run for charon's compiled-in PID file; ip netns exec has already given the
            // command a mount namespace of its own, whose mounts do not propagate back
            launch("charon-" + r, ns(r), conf, "sh", "-c", "mount -t tmpfs -o size=1m,mode=0755 mwf-run /run && exec "
                    + "timeout " + DAEMON_SECONDS + " " + CHARON);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (String r : List.of("r1", "r2")) {
            while (!Files.exists(dir.resolve(r + "/charon.vici"))) {
                if (System.nanoTime() > deadline || !deadDaemons().isEmpty()) {
                    throw new IllegalStateException("charon of " + r + " did not open its VICI socket\n" + deadDaemons()
                            + tail(dir.resolve(r + "/charon.log")));
                }
                Thread.sleep(50);
            }
        }
        // the responder first: r1 initiates as soon as its connections are loaded
        swanctl("r2", "--load-all", "--file", dir.resolve("r2/swanctl.conf").toString());
        swanctl("r1", "--load-all", "--file", dir.resolve("r1/swanctl.conf").toString());
    }

    private String ns(String router) {
        return "r1".equals(router) ? nsR1 : nsR2;
    }

    private String strongswanConf(String r) {
        Path d = dir.resolve(r);
        return """
                # %s's charon, alone in its namespace: own VICI socket and log, user-space ESP (kernel-libipsec)
                charon {
                  load = random nonce aes sha1 sha2 hmac kdf gmp kernel-libipsec kernel-netlink socket-default vici
                  install_routes = yes
                  install_virtual_ip = no
                  retransmit_timeout = 1.0
                  retransmit_base = 1.0
                  retransmit_tries = 2
                  plugins {
                    vici {
                      socket = unix://%s
                    }
                  }
                  filelog {
                    lab {
                      path = %s
                      time_format = %%F %%T
                      time_add_ms = yes
                      flush_line = yes
                      default = 1
                      ike = 1
                    }
                  }
                }
                swanctl {
                  load = pem pkcs1 x509 random nonce
                  socket = unix://%s
                }
                """.formatted(r, d.resolve("charon.vici"), d.resolve("charon.log"), d.resolve("charon.vici"));
    }

    private static String swanctlConf(String r) {
        boolean initiator = "r1".equals(r);
        String me = initiator ? "1" : "2";
        String peer = initiator ? "2" : "1";
        StringBuilder b = new StringBuilder("connections {\n");
        for (String[] t : List.of(new String[] {"primary", "198.18.71.", "10.255.1."},
                new String[] {"backup", "198.18.72.", "10.255.2."})) {
            b.append("""
                      %1$s {
                        version = 2
                        local_addrs = %2$s%3$s
                        remote_addrs = %2$s%4$s
                        proposals = aes128-sha256-modp2048
                        encap = yes
                        dpd_delay = 1s
                        keyingtries = 0
                        unique = replace
                        local {
                          auth = psk
                          id = r%3$s-%1$s
                        }
                        remote {
                          auth = psk
                          id = r%4$s-%1$s
                        }
                        children {
                          %1$s {
                            local_ts = %5$s%3$s/32
                            remote_ts = %5$s%4$s/32
                            esp_proposals = aes128-sha256
                            dpd_action = %6$s
                            start_action = %7$s
                          }
                        }
                      }
                    """.formatted(t[0], t[1], me, peer, t[2], initiator ? "restart" : "clear",
                    initiator ? "start" : "none"));
        }
        b.append("}\nsecrets {\n");
        for (String t : List.of("primary", "backup")) {
            b.append("""
                      ike-%1$s {
                        id-1 = r1-%1$s
                        id-2 = r2-%1$s
                        secret = meshwatch-live-failover-%1$s
                      }
                    """.formatted(t));
        }
        return b.append("}\n").toString();
    }

    /** {@code swanctl ARGS --uri} against one router's charon. */
    String swanctl(String router, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "STRONGSWAN_CONF=" + dir.resolve(router + "/strongswan.conf"),
                "swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve(router + "/charon.vici")));
        return sh(cmd.toArray(String[]::new));
    }

    /** {@code swanctl --list-sas} of one router's charon, or why it could not be read. */
    String swanctlSas(String router) {
        try {
            return swanctl(router, "--list-sas");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private void startRouters(String collector, int port) throws IOException {
        Path r1 = write("r1/bgpd.conf", bgpdConf("r1", r1Name, R1_AS, R2_AS, "1", "2", "", """
                 bmp targets meshwatch
                  bmp monitor ipv4 unicast post-policy
                  bmp connect %s port %d min-retry 100 max-retry 1000
                 exit
                """.formatted(collector, port), ""));
        // r2 makes its path over the backup longer, so r1 (and Meshwatch, from r1's post-policy
        // Adj-RIB-In) prefers the primary by AS path length
        String prepend = """
                route-map BACKUP-OUT permit 10
                 set as-path prepend %d %d
                exit
                !
                """.formatted(R2_AS, R2_AS);
        // r2 only listens: with both sides connecting, a connection collision now and then makes FRR send
        // r1's Peer Up with an empty OPEN ("bmp: missing RX OPEN message"), which the collector refuses
        // (see the notes of LiveFailoverTest); the test is about the failover, so it avoids the race
        Path r2 = write("r2/bgpd.conf", bgpdConf("r2", r2Name, R2_AS, R1_AS, "2", "1", prepend, "", """
                  network %s
                  neighbor %s route-map BACKUP-OUT out
                """.formatted(WATCHED, R1_BACKUP)));
        for (String r : List.of("r1", "r2")) {
            Files.createDirectories(dir.resolve(r + "/vty"));
            launch("bgpd-" + r, ns(r), null, "timeout", String.valueOf(DAEMON_SECONDS), BGPD, "-Z", "-S", "-M", "bmp",
                    "-P", "0", "-f", ("r1".equals(r) ? r1 : r2).toString(), "-i", dir.resolve(r + "/bgpd.pid").toString(),
                    "--vty_socket", dir.resolve(r + "/vty").toString());
        }
    }

    private String bgpdConf(String r, String hostname, long as, long peerAs, String me, String peer, String routeMaps,
                            String bmp, String addressFamily) {
        StringBuilder neighbours = new StringBuilder();
        for (String inner : List.of("10.255.1.", "10.255.2.")) {
            String n = inner + peer;
            neighbours.append("""
                     neighbor %1$s remote-as %2$d
                     neighbor %1$s description %3$s tunnel
                     neighbor %1$s update-source %4$s
                     neighbor %1$s disable-connected-check
                     neighbor %1$s timers connect 1
                     neighbor %1$s advertisement-interval 0
                    """.formatted(n, peerAs, inner.equals("10.255.1.") ? "primary" : "backup", inner + me));
            if ("r2".equals(r)) {
                neighbours.append(" neighbor ").append(n).append(" passive\n");
            }
        }
        // graceful restart off: FRR's helper mode would keep the dead primary's path (stale) for 120 s
        // after its hold timer expired, and nothing would fail over
        return """
                frr defaults traditional
                hostname %s
                log file %s debugging
                log timestamp precision 3
                !
                debug bgp neighbor-events
                debug bgp updates in
                debug bgp bestpath %s
                !
                %srouter bgp %d
                 bgp router-id %s
                 no bgp ebgp-requires-policy
                 no bgp network import-check
                 bgp graceful-restart-disable
                 timers bgp 3 9
                %s address-family ipv4 unicast
                %s exit-address-family
                %s!
                """.formatted(hostname, dir.resolve(r + "/bgpd.log"), WATCHED, routeMaps, as, "10.255.1." + me,
                neighbours, addressFamily, bmp);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private void launch(String name, String ns, Path strongswanConf, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().put("TZ", "UTC");
        if (strongswanConf != null) {
            pb.environment().put("STRONGSWAN_CONF", strongswanConf.toString());
        }
        daemons.add(pb.start());
        daemonNames.add(name);
    }

    /** Daemons that have exited, with the tail of their output; empty while all run. */
    String deadDaemons() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < daemons.size(); i++) {
            if (!daemons.get(i).isAlive()) {
                b.append(daemonNames.get(i)).append(" exited with ").append(daemons.get(i).exitValue()).append(": ")
                        .append(tail(dir.resolve(daemonNames.get(i) + ".out"))).append('\n');
            }
        }
        return b.toString();
    }

    static String tail(Path file) {
        return LiveLab.tail(file);
    }

    /** {@code vtysh -c COMMAND} against r1 or r2. */
    String vtysh(String router, String command) {
        return sh("ip", "netns", "exec", ns(router), "vtysh", "--vty_socket", dir.resolve(router + "/vty").toString(),
                "-c", command);
    }

    /** The BMP messages r1 sent, as they reached the collector. */
    List<BmpTap.Seen> bmp() {
        return tap == null ? List.of() : tap.seen();
    }

    /** r1's or r2's FRR log, read now. */
    RouterLog frrLog(String router) {
        return RouterLog.frr(dir.resolve(router + "/bgpd.log"));
    }

    /** r1's or r2's charon log, read now. */
    RouterLog charonLog(String router) {
        return RouterLog.charon(dir.resolve(router + "/charon.log"));
    }

    private static String sh(String... command) {
        return LiveLab.sh(30, command);
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void cleanUp() {
        if (tap != null) {
            tap.close();
        }
        // each daemon was started by this lab and is stopped by its own handle, its children too (the
        // process started is `ip netns exec`, which became sh or timeout, whose child is the daemon)
        LiveLab.stop(daemons);
        daemons.clear();
        daemonNames.clear();
        for (String ns : namespaces) {
            try {
                LiveLab.sh(10, "ip", "netns", "del", ns);
            } catch (IllegalStateException e) {
                System.err.println("failover lab: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
        try {
            LiveLab.sh(10, "ip", "link", "del", rootLink);
        } catch (IllegalStateException gone) {
            // deleted with its namespace end, as expected
        }
    }

    /** A router's log: its lines with the time each was written (UTC, millisecond precision). */
    static final class RouterLog {

        /** One line of the log. */
        record Line(Instant at, String text) {
        }

        private static final Pattern FRR = Pattern.compile(
                "^(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (.*)$");
        private static final DateTimeFormatter FRR_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");
        private static final Pattern CHARON = Pattern.compile(
                "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (.*)$");
        private static final DateTimeFormatter CHARON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        private static final Pattern STATE = Pattern.compile("\\b(\\S+) went from (\\S+) to (\\S+)");
        private static final Pattern BEST = Pattern.compile(
                "^(\\S+)\\(VRF \\S+\\): After path selection, newbest is path (\\S+) oldbest was (\\S+)");

        final List<Line> lines;

        private RouterLog(List<Line> lines) {
            this.lines = lines;
        }

        static RouterLog frr(Path file) {
            return read(file, FRR, FRR_TIME);
        }

        static RouterLog charon(Path file) {
            return read(file, CHARON, CHARON_TIME);
        }

        private static RouterLog read(Path file, Pattern p, DateTimeFormatter f) {
            List<Line> out = new ArrayList<>();
            try {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher m = p.matcher(l);
                    if (m.matches()) {
                        out.add(new Line(LocalDateTime.parse(m.group(1), f).toInstant(ZoneOffset.UTC), m.group(2)));
                    }
                }
            } catch (IOException e) {
                // not written yet
            }
            return new RouterLog(out);
        }

        /** When {@code peer} first went from {@code from} (any, if null) to {@code to} (any, if null) after {@code after}. */
        Optional<Line> sessionChange(String peer, String from, String to, Instant after) {
            for (Line l : lines) {
                Matcher m = STATE.matcher(l.text());
                if (!l.at().isBefore(after) && m.find() && m.group(1).equals(peer)
                        && (from == null || m.group(2).equals(from)) && (to == null || m.group(3).equals(to))) {
                    return Optional.of(l);
                }
            }
            return Optional.empty();
        }

        /** When FRR's best path for {@code prefix} first became the path from {@code peer} after {@code after}. */
        Optional<Line> bestPath(String prefix, String peer, Instant after) {
            for (Line l : lines) {
                Matcher m = BEST.matcher(l.text().replaceFirst("^BGP: \\[[^]]*\\] ", ""));
                if (!l.at().isBefore(after) && m.find() && m.group(1).equals(prefix) && m.group(2).equals(peer)
                        && !m.group(2).equals(m.group(3))) {
                    return Optional.of(l);
                }
            }
            return Optional.empty();
        }

        /** The lines from {@code from} on that contain any of {@code words}. */
        List<Line> matching(Instant from, String... words) {
            List<Line> out = new ArrayList<>();
            for (Line l : lines) {
                if (!l.at().isBefore(from)) {
                    for (String w : words) {
                        if (l.text().contains(w)) {
                            out.add(l);
                            break;
                        }
                    }
                }
            }
            return out;
        }
    }
}
