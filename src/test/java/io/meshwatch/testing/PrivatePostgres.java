package io.meshwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 server of a test's own, which the test may stop and start at will without touching
 * the machine's shared one: {@code initdb} on a fresh temporary directory, {@code pg_ctl} on a free
 * port of 127.0.0.1, trust authentication, sockets in its own directory, the role {@code meshwatch}
 * (password {@code meshwatch}) owning one database. PostgreSQL refuses to run as root, so when the
 * test runs as root the programs run as the {@code postgres} OS user ({@code runuser -u postgres})
 * and the directory is given to that user.
 *
 * <p>{@code fsync} is off: the drills stop the server cleanly ({@code pg_ctl stop -m fast}, what
 * {@code systemctl stop} does) or immediately, never the machine, and the machine is shared.
 *
 * <p>Not thread-safe: one test drives it. {@link #close()} stops it and deletes its directory (also
 * on JVM exit).
 */
public final class PrivatePostgres implements AutoCloseable {

    /** Where Debian's PostgreSQL 15 server programs are. */
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final Path data;
    private final int port;
    private final String database;
    private final boolean asPostgres;

    private PrivatePostgres(Path dir, int port, String database) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.database = database;
        this.asPostgres = "root".equals(System.getProperty("user.name"));
    }

    /**
     * Creates the cluster (initdb) without starting it; {@link #start()} starts it, and the first
     * start creates the role and database.
     */
    public static PrivatePostgres create(String database) {
        ExternalProgram.require(BIN.resolve("initdb").toString(), "postgresql-15");
        try {
            Path dir = Files.createTempDirectory("meshwatch-private-pg");
            PrivatePostgres pg = new PrivatePostgres(dir, freePort(), database);
            if (pg.asPostgres) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            pg.run(60, BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync", "--locale=C");
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "private-postgres-stop"));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates and starts one, with its role and database. */
    public static PrivatePostgres started(String database) {
        PrivatePostgres pg = create(database);
        pg.start();
        return pg;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server and waits until it accepts connections; creates the role and database once. */
    public void start() {
        run(120, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c max_connections=50", "start");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'meshwatch'").next()) {
                st.execute("CREATE ROLE meshwatch LOGIN PASSWORD 'meshwatch'");
                st.execute("CREATE DATABASE " + database + " OWNER meshwatch");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("private PostgreSQL on port " + port + " started but cannot be set up: "
                    + e.getMessage() + "; its log: " + dir.resolve("server.log"), e);
        }
    }

    /** Stops the server: {@code fast} (clients disconnected, a clean shutdown) or {@code immediate} (like a crash). */
    public void stop(String mode) {
        run(120, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "stop");
    }

    /** True while the server's postmaster runs. */
    public boolean running() {
        return Files.exists(data.resolve("postmaster.pid"));
    }

    /** The server's log, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        if (running()) {
            try {
                stop("immediate");
            } catch (RuntimeException e) {
                // best effort on the way out
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary directory: left for the OS
        }
    }

    private void run(int timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
