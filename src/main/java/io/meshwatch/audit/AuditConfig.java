package io.meshwatch.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail ({@code meshwatch.audit.*}, docs/operations.md "Audit trail"). */
@ConfigMapping(prefix = "meshwatch.audit")
public interface AuditConfig {

    /** Record every change made through the API. */
    @WithDefault("true")
    boolean enabled();

    /** Entries older than this are deleted (checked hourly). */
    @WithDefault("2160h")
    Duration keepFor();
}
