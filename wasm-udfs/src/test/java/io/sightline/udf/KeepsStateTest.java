package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.FaceDetector;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A UDF keeps state exactly when its module imports the host's state functions: what decides where its frames run. */
class KeepsStateTest {

    @Test
    void theBundledUdfsThatCountOrSampleKeepStateTheOthersDoNot() {
        Map<String, Boolean> keeps = new TreeMap<>();
        for (String name : UdfRuntime.bundledNames()) {
            try (UdfRuntime runtime = UdfRuntime.bundled(name, "{}", FaceDetector.none(), UdfConfig.defaults())) {
                keeps.put(name, runtime.keepsState());
            }
        }

        assertThat(keeps).containsExactlyInAnyOrderEntriesOf(Map.of(
                "face-annotate", false,
                "face-blur", false,
                "crowd-alert", true,
                "frame-sampler", true));
    }
}
