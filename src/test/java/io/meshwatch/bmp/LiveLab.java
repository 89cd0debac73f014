package io.meshwatch.bmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real routers for the live BMP test, in network namespaces of their own (test scope, needs root):
 * FRR {@code bgpd} (AS 65002, BMP module, no zebra) in the middle, GoBGP {@code g1} (AS 65001) and
 * GoBGP {@code g2} (AS 65003) as its two eBGP neighbours. FRR and g1 each get a veth link into the
 * root namespace and dial the collector there over BMP.
 *
 * <pre>
 *  ns g1  10.0.1.2 ──── 10.0.1.1  ns frr  10.0.2.1 ──── 10.0.2.2  ns g2
 *  (GoBGP 65001)                  (FRR 65002)                     (GoBGP 65003)
 *   col ROOT+6 ── ROOT+5 (root)    col ROOT+2 ── ROOT+1 (root)
 * </pre>
 *
 * <p>Every name (namespaces, root-namespace links, FRR's hostname) carries a random run id, and the
 * root-namespace addresses are a /29 of 100.64.0.0/10 that no interface or route of this machine
 * uses yet, so parallel runs do not meet. {@link #close()} stops every process it started (by its
 * own handle) and deletes the namespaces, which takes their links with them; a JVM shutdown hook
 * does the same if the test run is killed.
 */
final class LiveLab implements AutoCloseable {

    static final String FRR_G1 = "10.0.1.1";
    static final String G1 = "10.0.1.2";
    static final String FRR_G2 = "10.0.2.1";
    static final String G2 = "10.0.2.2";
    static final long FRR_AS = 65002;
    static final long G1_AS = 65001;
    static final long G2_AS = 65003;
    /** Bound for every daemon, in case everything else fails. */
    private static final int DAEMON_SECONDS = 600;
    private static final String BGPD = "/usr/lib/frr/bgpd";

    final String id;
    final Path dir;
    final String frrHostname;
    final String nsFrr;
    final String nsG1;
    final String nsG2;
    /** The collector's address as FRR and g1 dial it, and g1's address as the collector sees it. */
    final String collectorForFrr;
    final String collectorForG1;
    final String g1Source;
    private final String rootFrr;
    private final String rootG1;
    private final String subnet;
    private final List<Process> daemons = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanUp, "live-lab-cleanup");

    private LiveLab(String id, Path dir, String subnet) {
        this.id = id;
        this.dir = dir;
        this.subnet = subnet;
        this.frrHostname = "mwlive-" + id;
        this.nsFrr = "mwl" + id + "-frr";
        this.nsG1 = "mwl" + id + "-g1";
        this.nsG2 = "mwl" + id + "-g2";
        this.rootFrr = "mw" + id + "rf";
        this.rootG1 = "mw" + id + "rg";
        this.collectorForFrr = subnetHost(1);
        this.collectorForG1 = subnetHost(5);
        this.g1Source = subnetHost(6);
    }

    /**
     * Why the lab cannot run here, or null when it can: not root, a program missing, or network
     * namespaces refused.
     */
    /** Why a program the test starts is missing (bin/test installs them all), or null. */
    static String missingProgram() {
        for (String program : List.of("ip", "vtysh", "gobgpd", "gobgp", "timeout")) {
            if (!onPath(program)) {
                return program + " is not installed (Debian packages: iproute2, frr, gobgpd; bin/test installs them)";
            }
        }
        if (!Files.isExecutable(Path.of(BGPD))) {
            return BGPD + " is missing (Debian package frr; bin/test installs it)";
        }
        return null;
    }

    /** Why network namespaces cannot be made here (not root, or not allowed), or null. */
    static String unavailable() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            if (!"0".equals(uid)) {
                return "needs root to create network namespaces (running as uid " + uid + ")";
            }
        } catch (IOException | InterruptedException e) {
            return "cannot run id -u: " + e;
        }
        String probe = "mwlprobe" + HexFormat.of().formatHex(randomBytes(3));
        try {
            sh(10, "ip", "netns", "add", probe);
            sh(10, "ip", "netns", "del", probe);
        } catch (IllegalStateException e) {
            return "network namespaces are not allowed here: " + e.getMessage();
        }
        return null;
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** Builds the namespaces and links and starts the three routers, FRR and g1 dialling {@code bmpPort}. */
    static LiveLab start(Path parent, int bmpPort) throws Exception {
        String id = HexFormat.of().formatHex(randomBytes(3));
        Path dir = Files.createDirectories(parent.resolve(id));
        LiveLab lab = new LiveLab(id, dir, freeSubnet());
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            lab.network();
            lab.startRouters(bmpPort);
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A 100.64.0.0/10 /29 that no address or route of the root namespace touches. */
    static String freeSubnet() {
        String used = sh(10, "ip", "-4", "-o", "addr", "show") + sh(10, "ip", "-4", "route", "show", "table", "all");
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < 50; i++) {
            String s = "100." + (64 + r.nextInt(64)) + "." + r.nextInt(256);
            if (!used.contains(s + ".")) {
                return s + "." + (8 * r.nextInt(32));
            }
        }
        throw new IllegalStateException("no free 100.64.0.0/10 subnet found for the collector links");
    }

    private void network() {
        for (String ns : List.of(nsFrr, nsG1, nsG2)) {
            sh(10, "ip", "netns", "add", ns);
            namespaces.add(ns);
            sh(10, "ip", "-n", ns, "link", "set", "lo", "up");
        }
        link(nsFrr, "g1", FRR_G1, nsG1, "frr", G1, 30);
        link(nsFrr, "g2", FRR_G2, nsG2, "frr", G2, 30);
        rootLink(rootFrr, collectorForFrr, nsFrr, subnetHost(2));
        rootLink(rootG1, collectorForG1, nsG1, g1Source);
    }

    private String subnetHost(int n) {
        String[] parts = subnet.split("\\.");
        return parts[0] + "." + parts[1] + "." + parts[2] + "." + (Integer.parseInt(parts[3]) + n);
    }

    private static void link(String nsA, String ifA, String ipA, String nsB, String ifB, String ipB, int len) {
        sh(10, "ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        sh(10, "ip", "-n", nsA, "addr", "add", ipA + "/" + len, "dev", ifA);
        sh(10, "ip", "-n", nsB, "addr", "add", ipB + "/" + len, "dev", ifB);
        sh(10, "ip", "-n", nsA, "link", "set", ifA, "up");
        sh(10, "ip", "-n", nsB, "link", "set", ifB, "up");
    }

    private static void rootLink(String rootIf, String rootIp, String ns, String nsIp) {
        sh(10, "ip", "link", "add", rootIf, "type", "veth", "peer", "name", "col", "netns", ns);
        sh(10, "ip", "addr", "add", rootIp + "/30", "dev", rootIf);
        sh(10, "ip", "link", "set", rootIf, "up");
        sh(10, "ip", "-n", ns, "addr", "add", nsIp + "/30", "dev", "col");
        sh(10, "ip", "-n", ns, "link", "set", "col", "up");
    }

    private void startRouters(int bmpPort) throws IOException {
        Path bgpdConf = write("bgpd.conf", """
                frr defaults traditional
                hostname %s
                log file %s informational
                !
                router bgp %d
                 bgp router-id %s
                 no bgp ebgp-requires-policy
                 no bgp network import-check
                 timers bgp 3 9
                 neighbor %s remote-as %d
                 neighbor %s timers connect 1
                 neighbor %s advertisement-interval 0
                 neighbor %s remote-as %d
                 neighbor %s timers connect 1
                 neighbor %s advertisement-interval 0
                 address-family ipv4 unicast
                  network 192.0.2.0/24
                  neighbor %s soft-reconfiguration inbound
                  neighbor %s soft-reconfiguration inbound
                 exit-address-family
                 bmp targets meshwatch
                  bmp monitor ipv4 unicast pre-policy
                  bmp monitor ipv4 unicast post-policy
                  bmp connect %s port %d min-retry 100 max-retry 1000
                 exit
                !
                """.formatted(frrHostname, dir.resolve("bgpd.log"), FRR_AS, FRR_G1, G1, G1_AS, G1, G1, G2, G2_AS,
                G2, G2, G1, G2, collectorForFrr, bmpPort));
        Files.createDirectories(dir.resolve("vty"));
        daemons.add(launch("bgpd", nsFrr, BGPD, "-Z", "-S", "-M", "bmp", "-P", "0", "-f", bgpdConf.toString(),
                "-i", dir.resolve("bgpd.pid").toString(), "--vty_socket", dir.resolve("vty").toString()));
        Path g1 = write("g1.toml", gobgpConfig(G1_AS, G1, FRR_G1) + """
                [[bmp-servers]]
                  [bmp-servers.config]
                    address = "%s"
                    port = %d
                    route-monitoring-policy = "all"
                """.formatted(collectorForG1, bmpPort));
        Path g2 = write("g2.toml", gobgpConfig(G2_AS, G2, FRR_G2));
        daemons.add(launch("g1", nsG1, "gobgpd", "-f", g1.toString(), "--api-hosts", "127.0.0.1:50051",
                "--pprof-disable", "--log-plain"));
        daemons.add(launch("g2", nsG2, "gobgpd", "-f", g2.toString(), "--api-hosts", "127.0.0.1:50051",
                "--pprof-disable", "--log-plain"));
    }

    private static String gobgpConfig(long as, String routerId, String neighbour) {
        return """
                [global.config]
                  as = %d
                  router-id = "%s"
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "%s"
                    peer-as = %d
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                """.formatted(as, routerId, neighbour, FRR_AS);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Process launch(String name, String ns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "timeout", String.valueOf(DAEMON_SECONDS)));
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    /** Daemons that have exited, with the tail of their output; empty while all run. */
    String deadDaemons() {
        StringBuilder b = new StringBuilder();
        String[] names = {"bgpd", "g1", "g2"};
        for (int i = 0; i < daemons.size(); i++) {
            if (!daemons.get(i).isAlive()) {
                b.append(names[i]).append(" exited with ").append(daemons.get(i).exitValue()).append(": ")
                        .append(tail(dir.resolve(names[i] + ".out"))).append('\n');
            }
        }
        return b.toString();
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    /** {@code vtysh -c COMMAND} against this lab's FRR. */
    String vtysh(String command) {
        return sh(30, "ip", "netns", "exec", nsFrr, "vtysh", "--vty_socket", dir.resolve("vty").toString(), "-c",
                command);
    }

    /** The {@code gobgp} client against g1 or g2 ({@code ns} is {@link #nsG1} or {@link #nsG2}). */
    String gobgp(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "gobgp", "-u", "127.0.0.1", "-p", "50051"));
        cmd.addAll(List.of(args));
        return sh(30, cmd.toArray(String[]::new));
    }

    /** Runs a command to its end (bounded); its standard output, or an exception with its output. */
    static String sh(int seconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[][] out = new byte[2][];
            Thread err = new Thread(() -> {
                try {
                    out[1] = p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    out[1] = new byte[0];
                }
            });
            err.start();
            out[0] = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            err.join(1000);
            String stdout = new String(out[0], StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + (out[1] == null ? "" : new String(out[1], StandardCharsets.UTF_8).trim()) + " " + stdout.trim());
            }
            return stdout;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
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

    /**
     * Stops processes this lab started and their descendants (a process started as `ip netns exec`
     * became sh or timeout, whose child is the daemon): politely, then after 5 s forcibly.
     */
    static void stop(List<Process> processes) {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private synchronized void cleanUp() {
        // each daemon runs under `timeout`, which passes SIGTERM on; its children are signalled
        // directly too, so that a daemon never outlives a `timeout` that had to be killed
        LiveLab.stop(daemons);
        daemons.clear();
        for (String ns : namespaces) {
            try {
                sh(10, "ip", "netns", "del", ns);
            } catch (IllegalStateException e) {
                System.err.println("live lab: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
        for (String link : List.of(rootFrr, rootG1)) {
            try {
                sh(10, "ip", "link", "del", link);
            } catch (IllegalStateException gone) {
                // deleted with its namespace end, as expected
            }
        }
    }
}
