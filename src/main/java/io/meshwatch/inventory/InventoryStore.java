package io.meshwatch.inventory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code inventory_revision} table through the reactive PostgreSQL client. Writers on every
 * instance serialise on one transaction-scoped advisory lock ({@link #exclusively}), so versions
 * are gapless and two replicas starting with the same new file seed it once.
 */
@ApplicationScoped
public class InventoryStore {

    /** Key of the advisory lock that serialises inventory writers ("meshinv" in ASCII). */
    static final long LOCK_KEY = 0x6d657368696e76L;

    private static final String COLUMNS = "version, document, format, sha256, source, location, updated_by, updated_at";

    /** A stored revision with its document as it was given. */
    public record Stored(InventoryRevision revision, String document, DocumentFormat format) {

        /** Reads the document with the parser it was accepted with. */
        public Inventory read() throws InvalidInventoryException {
            return InventoryReader.read(document, format);
        }
    }

    private final Pool pool;

    public InventoryStore(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in a transaction that holds the inventory writers' lock. */
    public <T> Uni<T> exclusively(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(c -> c.preparedQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock($1)) AS l")
                .execute(Tuple.of(LOCK_KEY))
                .chain(() -> work.apply(c)));
    }

    /** The current inventory: the newest revision. */
    public Uni<Optional<Stored>> newest(SqlClient c) {
        return c.query("SELECT " + COLUMNS + " FROM inventory_revision ORDER BY version DESC LIMIT 1")
                .execute().map(InventoryStore::first);
    }

    /** The newest revision seeded from a file: the content start-up compares the configured file with. */
    public Uni<Optional<Stored>> newestFromFile(SqlClient c) {
        return c.query("SELECT " + COLUMNS + " FROM inventory_revision WHERE source = 'file' "
                + "ORDER BY version DESC LIMIT 1").execute().map(InventoryStore::first);
    }

    public Uni<Optional<Stored>> version(long version) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM inventory_revision WHERE version = $1")
                .execute(Tuple.of(version)).map(InventoryStore::first);
    }

    /** The newest version number, 0 when nothing is stored. Cheap: the refresh check of every instance. */
    public Uni<Long> newestVersion() {
        return pool.query("SELECT coalesce(max(version), 0) AS v FROM inventory_revision").execute()
                .map(rows -> rows.iterator().next().getLong("v"));
    }

    /** Stores a new revision, numbered one above the newest. Call inside {@link #exclusively}. */
    public Uni<InventoryRevision> insert(SqlClient c, String document, DocumentFormat format, InventorySource source,
            String location, String updatedBy, Instant at) {
        String sha = InventoryFiles.sha256(document);
        OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        return c.preparedQuery("INSERT INTO inventory_revision (" + COLUMNS + ") "
                        + "SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5, $6, $7 FROM inventory_revision "
                        + "RETURNING version, updated_at")
                .execute(Tuple.from(new Object[] {document, format.wire(), sha, source.wire(), location, updatedBy, when}))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new InventoryRevision(r.getLong("version"), source, sha, location, updatedBy,
                            r.getOffsetDateTime("updated_at").toInstant());
                });
    }

    private static Optional<Stored> first(RowSet<Row> rows) {
        for (Row r : rows) {
            InventoryRevision rev = new InventoryRevision(r.getLong("version"),
                    InventorySource.fromWire(r.getString("source")), r.getString("sha256"), r.getString("location"),
                    r.getString("updated_by"), r.getOffsetDateTime("updated_at").toInstant());
            return Optional.of(new Stored(rev, r.getString("document"), DocumentFormat.fromWire(r.getString("format"))));
        }
        return Optional.empty();
    }
}
