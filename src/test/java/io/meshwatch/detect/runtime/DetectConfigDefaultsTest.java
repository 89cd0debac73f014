package io.meshwatch.detect.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.detect.DetectionSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service's {@code meshwatch.detect.*} defaults are the documented ones
 * ({@link DetectionSettings#defaults()}, docs/detection.md): an operator who sets nothing gets what
 * the documentation says.
 */
class DetectConfigDefaultsTest {

    @Test
    void unsetConfigurationGivesTheDocumentedSettings() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DetectConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build();
        DetectionSettings configured = DetectionService.settings(config.getConfigMapping(DetectConfig.class));
        assertEquals(DetectionSettings.defaults(), configured);
    }
}
