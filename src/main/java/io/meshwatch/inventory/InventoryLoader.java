package io.meshwatch.inventory;

import io.meshwatch.inventory.InventoryPrecedence.Choice;
import io.meshwatch.inventory.InventoryPrecedence.Decision;
import io.meshwatch.inventory.InventoryPrecedence.Situation;
import io.meshwatch.inventory.InventoryStore.Stored;
import io.meshwatch.platform.StartupFailure;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What start-up does to find the inventory: read and validate the configured file, then, holding
 * the inventory writers' lock, compare it with what PostgreSQL holds and apply
 * {@link InventoryPrecedence}. Keeps nothing in memory: loading again is exactly what a restarted
 * service would do. Blocking; call it from a worker or the main thread.
 */
public final class InventoryLoader {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The configuration key and its environment variable, for messages. */
    static final String SETTING = "meshwatch.inventory.file (MESHWATCH_INVENTORY_FILE)";

    /** What was decided and the inventory now in force. */
    public record Outcome(Decision decision, ActiveInventory active, List<String> storedProblems) {
    }

    /** The configured file, read and valid ({@link #readFile}). */
    record FileDocument(String location, String text, DocumentFormat format, String sha256,
                                Inventory inventory) {
    }

    private final InventoryStore store;
    private final Clock clock;

    public InventoryLoader(InventoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Loads the inventory as start-up does.
     *
     * @param fileLocation the configured file (a path or {@code classpath:name}), if any
     * @throws StartupFailure with one line naming the file and every problem when the file is
     *                        missing or invalid, when the database cannot be used, or when the
     *                        stored inventory no longer reads and there is no file to replace it
     */
    public Outcome load(Optional<String> fileLocation) {
        return load(fileLocation.map(InventoryLoader::readFile).orElse(null));
    }

    /** {@link #load(Optional)} of a file already read and checked by {@link #readFile}, or of none (null). */
    Outcome load(FileDocument file) {
        Outcome outcome;
        try {
            outcome = store.exclusively(c -> store.newest(c).chain(newest -> store.newestFromFile(c)
                    .chain(seeded -> decide(c, file, newest, seeded)))).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            throw new StartupFailure("cannot load the inventory from PostgreSQL (" + oneLine(String.valueOf(
                    e.getMessage())) + "); check that the database is up and migrated");
        }
        if (outcome.decision().choice() == Choice.FAIL) {
            throw new StartupFailure("the stored inventory is not usable: " + outcome.decision().reason() + " ("
                    + String.join("; ", outcome.storedProblems()) + "); set " + SETTING
                    + " to a corrected inventory file (docs/inventory.md)");
        }
        return outcome;
    }

    private Uni<Outcome> decide(io.vertx.mutiny.sqlclient.SqlConnection c, FileDocument file,
            Optional<Stored> newest, Optional<Stored> seeded) {
        Inventory stored = null;
        List<String> problems = List.of();
        if (newest.isPresent()) {
            try {
                stored = newest.get().read();
            } catch (InvalidInventoryException e) {
                problems = e.problems().stream().map(InventoryLoader::oneLine).toList();
            }
        }
        Situation situation = new Situation(file == null ? null : file.sha256(),
                newest.map(s -> s.revision().version()).orElse(0L),
                newest.map(s -> s.revision().source()).orElse(null), stored != null,
                seeded.map(s -> s.revision().sha256()).orElse(null),
                seeded.map(s -> s.revision().version()).orElse(0L));
        Decision d = InventoryPrecedence.decide(situation);
        List<String> storedProblems = problems;
        return switch (d.choice()) {
            case SEED_FILE -> store.insert(c, file.text(), file.format(), InventorySource.FILE, file.location(),
                            "start-up of " + host(), clock.instant())
                    .map(rev -> new Outcome(d, ActiveInventory.of(file.inventory(), rev), storedProblems));
            case USE_STORED -> Uni.createFrom().item(new Outcome(d,
                    ActiveInventory.of(stored, newest.get().revision()), storedProblems));
            case EMPTY, FAIL -> Uni.createFrom().item(new Outcome(d, ActiveInventory.empty(), storedProblems));
        };
    }

    /**
     * Reads and checks the file.
     *
     * @throws StartupFailure one line naming the file and the setting, with every problem
     */
    static FileDocument readFile(String location) {
        String text;
        try {
            text = InventoryFiles.read(location);
        } catch (IOException e) {
            throw new StartupFailure("cannot read the inventory file '" + location + "' named by " + SETTING + ": "
                    + e.getClass().getSimpleName() + " " + oneLine(String.valueOf(e.getMessage()))
                    + "; mount the file there or unset the setting");
        }
        DocumentFormat format = DocumentFormat.ofLocation(location);
        try {
            return new FileDocument(location, text, format, InventoryFiles.sha256(text),
                    InventoryReader.read(text, format));
        } catch (InvalidInventoryException e) {
            int n = e.problems().size();
            throw new StartupFailure("the inventory file '" + location + "' named by " + SETTING + " is invalid ("
                    + n + (n == 1 ? " problem): " : " problems): ")
                    + String.join("; ", e.problems().stream().map(InventoryLoader::oneLine).toList())
                    + " -- fix the file (format: docs/inventory.md) and start again");
        }
    }

    /** Log and error lines stay one line: YAML parser messages span several. */
    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    static String host() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unnamed host";
        }
    }
}
