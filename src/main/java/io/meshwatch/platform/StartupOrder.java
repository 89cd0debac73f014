package io.meshwatch.platform;

/**
 * Order of Meshwatch's start-up observers. Lower runs first. All run before the messaging
 * connectors, which start at {@code jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE}.
 */
public final class StartupOrder {

    /** Dev mode: make sure the local PostgreSQL role and database exist. */
    public static final int DEV_DATABASE = 10;
    /** Dev mode: start the in-process Kafka broker. */
    public static final int DEV_KAFKA = 20;
    /** Read and check the configured inventory file: a bad file stops start-up before anything connects. */
    public static final int INVENTORY_FILE = 25;
    /**
     * The input topics' partition counts, checked with an admin client before the consumers start:
     * counts that cannot keep a router's BGP and telemetry partitions on one instance stop start-up.
     * After the inventory file (a bad file is reported first), before the database.
     */
    public static final int INPUT_TOPICS = 28;
    /** Schema migrations. */
    public static final int DATABASE = 30;
    /** Load the network inventory (file or database) so every later observer and consumer sees it. */
    public static final int INVENTORY = 35;
    /** Restore persisted state into the in-memory core. */
    public static final int RESTORE = 40;
    /** Publish this instance's membership row and start its heartbeat (after the migrations). */
    public static final int CLUSTER = 45;
    /** Start listening for BMP connections (after the dev broker exists). */
    public static final int BMP = 50;
    /** Start the simulator (dev mode, or when enabled): after the broker is up; it runs on its own thread. */
    public static final int SIMULATOR = 60;

    private StartupOrder() {
    }
}
