package io.meshwatch.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * An instance with consumer groups of its own (so the test can add members to them) in facts mode
 * (so detection views are the detection owner's).
 */
public class ForwardingProfile implements QuarkusTestProfile {

    static final String GROUP = "meshwatch-fwd-" + UUID.randomUUID();
    static final String DETECT_GROUP = "meshwatch-detect-fwd-" + UUID.randomUUID();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kafka.group.id", GROUP, "meshwatch.detect.mode", "facts",
                "meshwatch.detect.owner.group-id", DETECT_GROUP);
    }
}
