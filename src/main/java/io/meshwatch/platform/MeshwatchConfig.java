package io.meshwatch.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Meshwatch's own configuration, under {@code meshwatch.*}. Every property has a default. */
@ConfigMapping(prefix = "meshwatch")
public interface MeshwatchConfig {

    Topics topics();

    Ingest ingest();

    Db db();

    Rib rib();

    InventoryConfig inventory();

    Dev dev();

    Bmp bmp();

    /** This instance as a member of the deployment (docs/operations.md, "Scaling"). */
    Cluster cluster();

    /** Where alert notifications go (docs/alerts.md). */
    @io.smallrye.config.WithName("notify")
    Notify notifications();

    /** API keys and roles of the on-call API (docs/alerts.md). */
    Auth auth();

    /** The alert writer (docs/reliability.md). */
    Alerting alerting();

    /** How the alert writer waits out a database that is away (docs/reliability.md). */
    interface Alerting {
        /** Wait before writing a signal again after a failed write; doubled each failure. */
        @WithDefault("1s")
        java.time.Duration writeBackoffInitial();

        /** Longest wait between two tries of the same write; tries go on for as long as the database is away. */
        @WithDefault("30s")
        java.time.Duration writeBackoffMax();

        /**
         * Most signals and incident snapshots waiting to be written; beyond it a new one is refused,
         * logged and counted ({@code meshwatch_alerts_backlog_dropped_total{reason="full"}}).
         */
        @WithDefault("50000")
        int backlogLimit();
    }

    /** Notification receivers and the outbox sender. */
    interface Notify {
        /** Webhook receivers by name ({@code meshwatch.notify.webhooks.<name>.*}); none by default. */
        java.util.Map<String, Webhook> webhooks();

        /** How receivers reach this service: the base of each alert's {@code generatorURL}. */
        @WithDefault("http://localhost:8080")
        String externalUrl();

        /** Wait before the first retry of a failed delivery; doubled each attempt. */
        @WithDefault("1s")
        java.time.Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("60s")
        java.time.Duration maxBackoff();

        /** A notification not delivered this long after it was written is given up (status failed). */
        @WithDefault("15m")
        java.time.Duration deadline();

        /** Timeout of one HTTP attempt (connect and answer). */
        @WithDefault("10s")
        java.time.Duration timeout();

        /**
         * Fallback poll of the outbox; a committed notification wakes the sender at once, so this only
         * matters for rows written by another instance or left by a crash.
         */
        @WithDefault("5s")
        java.time.Duration pollInterval();

        /** Pushing alerts to an Alertmanager ({@code POST /api/v2/alerts}); off unless a URL is set. */
        Alertmanager alertmanager();

        /** Publishing every alert transition to the Kafka topic {@code meshwatch.topics.alerts}. */
        AlertEvents kafka();

        /** An Alertmanager Meshwatch pushes its alerts to, as Prometheus does. */
        interface Alertmanager {
            /**
             * Alertmanager's base URL, e.g. {@code http://alertmanager:9093}; alerts go to
             * {@code <url>/api/v2/alerts}. Unset: no push. A URL that is not absolute http(s) stops start-up.
             */
            java.util.Optional<String> url();

            /**
             * How often open alerts (firing or acknowledged) are pushed again so Alertmanager keeps them
             * active; keep it well below Alertmanager's {@code resolve_timeout} (default 5m).
             */
            @WithDefault("1m")
            java.time.Duration resendInterval();
        }

        /** Alert lifecycle events on Kafka. */
        interface AlertEvents {
            /** Publish every transition (raised, repeated, acknowledged, resolved) through the outbox. */
            @WithDefault("true")
            boolean enabled();
        }

        /** One webhook receiver; it gets the Alertmanager webhook payload, version 4. */
        interface Webhook {
            /** http or https URL the payload is POSTed to. */
            String url();

            /** Key of the HMAC-SHA256 signature in {@code X-Meshwatch-Signature}; unset: no signature. */
            java.util.Optional<String> secret();

            /** Only alerts at least this severe (critical, major, minor, warning, info). */
            @WithDefault("info")
            String minSeverity();

            /** Only alerts with all these labels (exact values), e.g. {@code labels.router=cx-ash}. */
            java.util.Map<String, String> labels();
        }
    }

    /** API keys: {@code Authorization: Bearer <key>}. */
    interface Auth {
        /** When false every caller may do everything (for a closed lab only). */
        @WithDefault("true")
        boolean enabled();

        /** Keys by name ({@code meshwatch.auth.keys.<name>.key} and {@code .role}); the name is recorded as the actor. */
        java.util.Map<String, Key> keys();

        interface Key {
            /** The secret the caller sends. */
            String key();

            /** viewer (read), responder (acknowledge, resolve, silence) or admin (everything). */
            String role();
        }
    }

    /** Kafka topic names. */
    interface Topics {
        /** BGP peer state, updates and End-of-RIB, keyed by router id. */
        @WithDefault("meshwatch.bgp.v1")
        String bgp();

        /** Interface, tunnel, probe and TCP telemetry, keyed by router id. */
        @WithDefault("meshwatch.telemetry.v1")
        String telemetry();

        /** Alert lifecycle events, keyed by fingerprint. */
        @WithDefault("meshwatch.alerts.v1")
        String alerts();

        /** Records that could not be decoded, with the reason in headers. */
        @WithDefault("meshwatch.dlq.v1")
        String dlq();

        /**
         * Facts: what the shard stage derived for detection (session changes, best-path changes,
         * telemetry), keyed by router; read by the one detection owner when
         * {@code meshwatch.detect.mode=facts}. One partition.
         */
        @WithDefault("meshwatch.facts.v1")
        String facts();

        /**
         * The live stream shared by the instances: each publishes its own items, every one reads all of
         * them from the latest offset, without a consumer group (created with one partition when missing).
         */
        @WithDefault("meshwatch.stream.v1")
        String stream();
    }

    /** Decoding and validation of incoming records. */
    interface Ingest {
        /** A record value larger than this many bytes is dead-lettered as {@code too_large}. */
        @WithDefault("1048576")
        int maxRecordBytes();
    }

    /** Route tables. */
    interface Rib {
        Snapshot snapshot();

        /** The kept past snapshots and the tables rebuilt from them (docs/history.md). */
        History history();

        /**
         * Past route tables (issue 19): besides the latest snapshot per partition, one snapshot per
         * {@code interval} is kept in {@code rib_snapshot_history}; a table at a past instant is the
         * nearest kept snapshot at or before it plus the partition's records up to that instant.
         */
        interface History {
            /** Keep past snapshots; when false only the latest (and offset 0 of an untrimmed topic) can be used. */
            @WithDefault("true")
            boolean enabled();

            /** Minimum time between two kept snapshots of a partition. */
            @WithDefault("1h")
            java.time.Duration interval();

            /** Kept snapshots older than this are deleted. */
            @WithDefault("24h")
            java.time.Duration keepFor();

            /** At most this many kept snapshots per partition (the oldest go first). */
            @WithDefault("48")
            int keep();

            /** Bound of a rebuilt table: more received paths than this is refused (413). */
            @WithDefault("5000000")
            long maxPaths();

            /** Bound of a replay: more records of the partition than this to read is refused (413). */
            @WithDefault("5000000")
            long maxRecords();

            /** How long a rebuild may read the topic before it gives up (503 with Retry-After). */
            @WithDefault("60s")
            java.time.Duration readTimeout();

            /** Session state changes ({@code bgp_session_history}) older than this are deleted. */
            @WithDefault("2160h")
            java.time.Duration sessionsKeepFor();
        }

        /**
         * Periodic snapshots of the route tables per partition of the BGP topic, in PostgreSQL
         * ({@code rib_snapshot}), restored when the partition is assigned (see
         * {@code docs/decisions/0001-route-table-restart.md}).
         */
        interface Snapshot {
            /** Take snapshots and restore from them; when false, a restart rebuilds only from Kafka. */
            @WithDefault("true")
            boolean enabled();

            /** Minimum time between two snapshots of a partition that changed. */
            @WithDefault("60s")
            java.time.Duration interval();
        }
    }

    /**
     * Where the network's inventory comes from (see {@code docs/inventory.md}). PostgreSQL holds the
     * current inventory; a configured file whose SHA-256 differs from the one last seeded from a
     * file replaces it at start-up, otherwise the stored one (perhaps edited through the API) is used.
     */
    interface InventoryConfig {
        /**
         * A YAML (or JSON) inventory file, e.g. a Kubernetes ConfigMap mounted at
         * {@code /etc/meshwatch/inventory.yaml}; {@code classpath:} names a resource. Read at
         * start-up only. Unset: the stored inventory, or an empty one when none is stored.
         */
        java.util.Optional<String> file();

        /**
         * How often each instance checks PostgreSQL for an inventory another instance stored (an
         * API edit made on another replica); {@code 0s} turns the check off.
         */
        @WithDefault("10s")
        java.time.Duration refreshInterval();
    }

    /** Where PostgreSQL is; used to build the datasource URLs and in error messages. */
    interface Db {
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("5432")
        int port();

        @WithDefault("meshwatch")
        String name();

        /**
         * How long start-up waits for a database that does not accept connections (stopped, starting,
         * unreachable), trying again with back-off, before it gives up with one line. A database that
         * answers but refuses the role, its password or the database name stops start-up at once.
         */
        @WithDefault("5m")
        java.time.Duration startupWait();
    }

    /** The BMP collector (RFC 7854): routers connect to it over TCP; see {@code docs/inputs.md}. */
    interface Bmp {
        /** Listen for BMP connections. */
        @WithDefault("true")
        boolean enabled();

        /** Address to listen on. */
        @WithDefault("0.0.0.0")
        String host();

        /** TCP port to listen on (0: any free port, as the tests use). */
        @WithDefault("11019")
        int port();

        /**
         * Router id per source address of a BMP connection, e.g.
         * {@code meshwatch.bmp.router-ids."198.18.99.2"=rw-frr}. Without an entry the router id is the
         * sysName of the router's Initiation message, else its address.
         */
        java.util.Map<String, String> routerIds();

        /**
         * A router timestamp further than this from the time a message arrives is replaced by the
         * arrival time (zero timestamps always are). 0 keeps every non-zero router timestamp.
         */
        @WithDefault("1h")
        java.time.Duration maxClockSkew();

        /** A message whose header announces more bytes than this ends the connection. */
        @WithDefault("1048576")
        int maxMessageBytes();

        /** Open BMP connections at most; one more is closed at once (docs/inputs.md, "Limits"). */
        @WithDefault("256")
        int maxConnections();

        /** Open BMP connections from one source address at most. */
        @WithDefault("4")
        int maxConnectionsPerAddress();

        /** A connection with no complete message this long after it opened is closed (idle clients). */
        @WithDefault("30s")
        java.time.Duration firstMessageTimeout();

        /** A message begun this long ago and still incomplete closes its connection (slow senders). */
        @WithDefault("60s")
        java.time.Duration messageTimeout();

        /**
         * Events of one connection sent to Kafka and not yet acknowledged before the collector stops
         * reading that connection (TCP backpressure on the router); reading resumes at half.
         */
        @WithDefault("20000")
        int maxInFlight();

        /**
         * TCP keep-alive on BMP connections: a router that stays quiet this long is probed, so that a
         * cut link to a router (no FIN, no reset) ends its connection, and its feed is reported lost,
         * after about {@code keepalive-idle + keepalive-count * keepalive-interval}. Whole seconds, at
         * least 1.
         */
        @WithDefault("30s")
        java.time.Duration keepaliveIdle();

        /** Time between unanswered keep-alive probes (whole seconds, at least 1). */
        @WithDefault("10s")
        java.time.Duration keepaliveInterval();

        /** Unanswered keep-alive probes after which the connection counts as lost (at least 1). */
        @WithDefault("3")
        int keepaliveCount();
    }

    /**
     * Membership: every instance publishes, in PostgreSQL ({@code cluster_member}), its id, the URL
     * other instances and operators reach it at, and the input partitions it owns, at every
     * rebalance and every heartbeat; {@code GET /api/v1/cluster} lists the members.
     */
    interface Cluster {
        /**
         * The URL this instance is reached at, e.g. {@code http://10.1.2.3:8080} (in Kubernetes from the
         * pod IP). Unset: {@code http://<host name>:<HTTP port>}.
         */
        java.util.Optional<String> advertisedUrl();

        /** How often this instance refreshes its row (heartbeat) and reads the member count. */
        @WithDefault("5s")
        java.time.Duration heartbeatInterval();

        /** A member whose heartbeat is older than this is gone: left out of the cluster view. */
        @WithDefault("30s")
        java.time.Duration memberTimeout();

        /**
         * How long a call forwarded to the member that owns it (a router's partition, detection) may take,
         * connecting included; past it the caller gets 503 with {@code Retry-After}. Below a second, so a
         * forward to an owner that is gone is answered within one.
         */
        @WithDefault("800ms")
        java.time.Duration forwardTimeout();

        /**
         * How long a forwarded routing-history call may take to answer (a table at a past instant, a
         * prefix's history, an MRT export: seconds for a full table, docs/history.md); connecting
         * stays within {@code forward-timeout}, so an owner that is gone is still noticed at once.
         */
        @WithDefault("120s")
        java.time.Duration forwardHistoryTimeout();

        /**
         * Whether this instance relays its live-stream items (alert changes, signals, incidents, session
         * changes) to the other instances through {@code meshwatch.topics.stream}, and serves theirs to its
         * own {@code GET /api/v1/stream} clients.
         */
        @WithDefault("true")
        boolean streamRelay();
    }

    /** Dev-mode conveniences; ignored in production. */
    interface Dev {
        /** Start an in-process Kafka broker in dev mode when nothing listens on the bootstrap address. */
        @WithDefault("true")
        boolean embeddedKafka();

        /** Where the dev-mode broker keeps its log. */
        @WithDefault("target/dev-kafka")
        String kafkaDataDir();

        /** Partitions of topics the dev-mode broker creates. */
        @WithDefault("4")
        int kafkaPartitions();

        /** Run {@code bin/db-setup} in dev mode so the role and database exist. */
        @WithDefault("true")
        boolean setupDatabase();
    }
}
