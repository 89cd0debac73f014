package io.meshwatch.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;

/**
 * Creates the reactive PostgreSQL pool from Quarkus' settings with one change: no pool connection
 * timeout ({@link PoolOptions#setConnectionTimeout} 0).
 *
 * <p>Why: in vertx-sql-client 4.5 (4.5.27 here, still so in 4.5.34, eclipse-vertx/vertx-sql-client
 * issue #1706) {@code SqlConnectionPool.execute}, the path of every {@code pool.query(..)} and
 * {@code pool.preparedQuery(..)}, arms a timer of the pool's connection timeout (30 s by default,
 * not a Quarkus setting) that fails the query's promise; when acquiring the connection fails first
 * (database stopped, restarting, refusing connections, "too many clients"), the caller gets that
 * failure but the timer is not cancelled, and when it fires it fails the completed promise again:
 * {@code Uncaught exception received by Vert.x: java.lang.IllegalStateException: Result is already
 * complete}, 30 s after the failed query. That is the line dev mode showed about half a minute after
 * start-up: some query of the start-up met a connection it could not open (the shared PostgreSQL of
 * a development machine at its connection limit, or briefly away). With no timeout the timer is
 * never armed ({@code timeout > 0} guards it), so the exception cannot occur; {@code
 * PostgresPoolTest} shows both sides.
 *
 * <p>The cost: waiting for a free connection of the pool is not bounded by the pool. While the
 * database is away, waiting requests fail as soon as the connection attempt fails (they do not
 * hang); while it is up they wait for one of the pool's connections to be returned. Callers that
 * must answer within a time bound their own wait (the health checks do; the alert writer and the
 * outbox sender retry).
 */
@Singleton
public class PostgresPool implements PgPoolCreator {

    @Override
    public Pool create(Input input) {
        return PgBuilder.pool().with(options(input.poolOptions())).connectingTo(new java.util.ArrayList<io.vertx.sqlclient.SqlConnectOptions>(input.pgConnectOptionsList()))
                .using(input.vertx()).build();
    }

    /** Quarkus' pool options with the connection timeout removed (see the class comment). */
    public static PoolOptions options(PoolOptions quarkus) {
        return new PoolOptions(quarkus).setConnectionTimeout(0);
    }
}
