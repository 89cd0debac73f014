package io.meshwatch.detect.runtime;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Detection in facts mode: the shard stage publishes facts, the elected owner (this instance) judges them. */
public class FactsModeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("meshwatch.detect.mode", "facts", "meshwatch.detect.owner.group-id",
                "meshwatch-detect-test-" + java.util.UUID.randomUUID(),
                "meshwatch.detect.owner.checkpoint-interval", "1s");
    }
}
