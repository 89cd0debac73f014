package io.meshwatch.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the real broker and database for every {@code @QuarkusTest} in this module. */
@QuarkusTestResource(KafkaBroker.class)
@QuarkusTestResource(LocalPostgres.class)
public final class GlobalResources {
    private GlobalResources() {
    }
}
