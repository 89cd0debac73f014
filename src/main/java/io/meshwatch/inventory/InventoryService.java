package io.meshwatch.inventory;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The inventory in force, for the rest of the service. Readers call {@link #current()},
 * {@link #index()} or {@link #active()}: one volatile read, never blocking. Writers (start-up,
 * {@link #replace}, {@link #refresh}) take turns on a lock, persist first, then swap the whole
 * {@link ActiveInventory} and fire {@link InventoryChanged}. Versions in force only move forward.
 *
 * <p>Start-up checks the configured file first ({@link StartupOrder#INVENTORY_FILE}, before the
 * database is touched), then ({@link StartupOrder#INVENTORY}, after the migrations and before any
 * Kafka consumer) applies {@link InventoryPrecedence} through {@link InventoryLoader}. Afterwards every
 * {@code meshwatch.inventory.refresh-interval} each instance looks for a newer stored revision, so
 * an API edit made on one replica reaches the others.
 */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);

    private final InventoryStore store;
    private final Event<InventoryChanged> changed;
    private final MeshwatchConfig config;
    private final Clock clock;
    private final Object writeLock = new Object();
    private volatile ActiveInventory active = ActiveInventory.empty();
    /** Newest stored version this release could not read; warned about once. Guarded by writeLock. */
    private long unreadable;
    private volatile boolean refreshFailing;
    private ScheduledExecutorService refresher;
    /** The configured file between its check and the load; start-up only. */
    private InventoryLoader.FileDocument file;

    public InventoryService(InventoryStore store, Event<InventoryChanged> changed, MeshwatchConfig config,
            Clock clock) {
        this.store = store;
        this.changed = changed;
        this.config = config;
        this.clock = clock;
    }

    /** The inventory in force. Immutable; replaced as a whole. */
    public Inventory current() {
        return active.inventory();
    }

    /** Lookups into {@link #current()}. */
    public InventoryIndex index() {
        return active.index();
    }

    /** The inventory in force with its index and revision, as one consistent value. */
    public ActiveInventory active() {
        return active;
    }

    /** Reads and checks the configured file before the database is touched: a bad file is the only error line. */
    void checkFile(@Observes @Priority(StartupOrder.INVENTORY_FILE) StartupEvent ev) {
        file = config.inventory().file().map(InventoryLoader::readFile).orElse(null);
    }

    void startup(@Observes @Priority(StartupOrder.INVENTORY) StartupEvent ev) {
        apply(new InventoryLoader(store, clock).load(file));
        file = null;
        Duration every = config.inventory().refreshInterval();
        if (!every.isZero() && !every.isNegative()) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "inventory-refresh");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refreshQuietly, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the refresh before the database pool closes, so a stop logs no refresh failure. */
    void shutdown(@Observes ShutdownEvent ev) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /**
     * Does what start-up does (file versus database, see {@link InventoryPrecedence}) and puts the
     * result in force.
     *
     * @throws io.meshwatch.platform.StartupFailure when the file is missing or invalid or the
     *                                              database cannot be used
     */
    public InventoryPrecedence.Decision load(Optional<String> file) {
        return apply(new InventoryLoader(store, clock).load(file));
    }

    private InventoryPrecedence.Decision apply(InventoryLoader.Outcome o) {
        if (!o.storedProblems().isEmpty()) {
            LOG.warnf("Stored inventory no longer reads in this release: %s", String.join("; ", o.storedProblems()));
        }
        ActiveInventory next = o.active();
        LOG.infof("Inventory %s in force (%s): %s", describe(next.revision()), o.decision().reason(),
                counts(next.inventory()));
        synchronized (writeLock) {
            ActiveInventory previous = active;
            active = next;
            fire(previous, next);
        }
        return o.decision();
    }

    /**
     * Reads {@code document} and, when it is a valid inventory, stores and applies it as
     * {@link #replace(Inventory, String, String)} does.
     */
    public ActiveInventory replace(String document, DocumentFormat format, String who)
            throws InvalidInventoryException {
        return replace(InventoryReader.read(document, format), document, format, who);
    }

    /** {@link #replace(Inventory, String, DocumentFormat, String)} of a YAML document. */
    public ActiveInventory replace(Inventory inventory, String document, String who) {
        return replace(inventory, document, DocumentFormat.YAML, who);
    }

    /**
     * Persists {@code document} as the next revision (source api), then puts {@code inventory} in
     * force and notifies the observers. Returns what is in force afterwards.
     *
     * @param inventory what {@code document} reads as (through {@link InventoryReader#read})
     * @param document  the text as given; stored unchanged, comments included
     * @param format    how it is written, so it is read back with the same parser
     * @param who       who made the change, for the revision history
     */
    public ActiveInventory replace(Inventory inventory, String document, DocumentFormat format, String who) {
        InventoryRevision rev = store.exclusively(c -> store.insert(c, document, format, InventorySource.API, null,
                who, clock.instant())).await().atMost(InventoryLoader.TIMEOUT);
        LOG.infof("Inventory %s stored: %s", describe(rev), counts(inventory));
        return advance(ActiveInventory.of(inventory, rev));
    }

    /**
     * Puts the newest stored revision in force when it is newer than the one in force (stored by
     * another instance). Returns true when it changed what is in force.
     */
    public boolean refresh() {
        long newest = store.newestVersion().await().atMost(InventoryLoader.TIMEOUT);
        synchronized (writeLock) {
            if (newest <= active.revision().version() || newest == unreadable) {
                return false;
            }
        }
        InventoryStore.Stored s = store.version(newest).await().atMost(InventoryLoader.TIMEOUT).orElse(null);
        if (s == null) {
            return false;
        }
        Inventory inv;
        try {
            inv = s.read();
        } catch (InvalidInventoryException e) {
            synchronized (writeLock) {
                if (unreadable != newest) {
                    unreadable = newest;
                    LOG.warnf("Inventory %s stored elsewhere does not read in this release; keeping version %d: %s",
                            describe(s.revision()), active.revision().version(), InventoryLoader.oneLine(e.getMessage()));
                }
            }
            return false;
        }
        LOG.infof("Inventory %s picked up from the database: %s", describe(s.revision()), counts(inv));
        ActiveInventory next = ActiveInventory.of(inv, s.revision());
        return advance(next) == next;
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (refreshFailing) {
                refreshFailing = false;
                LOG.info("Inventory refresh works again");
            }
        } catch (RuntimeException e) {
            if (!refreshFailing && !refresher.isShutdown()) {
                refreshFailing = true;
                LOG.warnf("Cannot check the database for a newer inventory (will keep trying): %s", e.getMessage());
            }
        }
    }

    /** Swaps in {@code next} when it is newer than what is in force; returns what is in force after. */
    private ActiveInventory advance(ActiveInventory next) {
        synchronized (writeLock) {
            ActiveInventory previous = active;
            if (next.revision().version() <= previous.revision().version()) {
                return previous;
            }
            active = next;
            fire(previous, next);
            return next;
        }
    }

    private void fire(ActiveInventory previous, ActiveInventory next) {
        try {
            changed.fire(new InventoryChanged(previous, next));
        } catch (RuntimeException e) {
            LOG.errorf(e, "An InventoryChanged observer failed; inventory %s stays in force",
                    describe(next.revision()));
        }
    }

    static String describe(InventoryRevision r) {
        if (r.version() == 0) {
            return "version 0 (empty)";
        }
        return "version " + r.version() + " (" + r.source().wire()
                + (r.location() != null ? " " + r.location() : "") + ", by " + r.updatedBy() + " at " + r.updatedAt() + ")";
    }

    static String counts(Inventory i) {
        return i.routers().size() + " routers, " + i.circuits().size() + " circuits, " + i.tunnelGroups().size()
                + " tunnel groups, " + i.prefixes().size() + " watched prefixes";
    }
}
