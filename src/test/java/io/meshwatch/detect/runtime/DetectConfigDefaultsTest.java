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

    @Test
    void aNegativeFeedSettingStopsStartUpNamingIt() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DetectConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("meshwatch.detect.never-up-after", "-1s").build();
        io.meshwatch.platform.StartupFailure e = org.junit.jupiter.api.Assertions.assertThrows(
                io.meshwatch.platform.StartupFailure.class,
                () -> DetectionService.settings(config.getConfigMapping(DetectConfig.class)));
        assertEquals("Meshwatch cannot start: meshwatch.detect.never-up-after: must not be negative, was PT-1S",
                e.getMessage());
    }
}
