package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.DetectionOptions;
import io.sightline.schemas.FrameLimits;
import io.sightline.udf.ImageLimits;
import io.sightline.udf.UdfConfig;
import org.junit.jupiter.api.Test;

class UdfStackTest {

    @Test
    void aRuntimeWithoutADeploymentRunsUnderTheDeploymentsDefaultLimits() {
        // wasm-udfs cannot see FrameLimits (it knows no Kafka), so its library defaults are a copy: this keeps
        // the copy equal to the one home the processor, ingest and detect read.
        ImageLimits deployed = UdfStack.udfConfig(DetectionOptions.defaults(), FrameLimits.defaults()).images();

        assertThat(UdfConfig.defaults().images()).isEqualTo(deployed);
        assertThat(ImageLimits.defaults()).isEqualTo(deployed);
    }

    @Test
    void aDeploymentsLimitsReachTheRuntime() {
        var limits = new FrameLimits(1024 * 1024, 9_000_000L, 1_000_000L);

        ImageLimits images = UdfStack.udfConfig(DetectionOptions.defaults(), limits).images();

        assertThat(images.maxPixels()).isEqualTo(9_000_000L);
        assertThat(images.maxDecodePixels()).isEqualTo(1_000_000L);
        assertThat(images.maxImageBytes()).isEqualTo(limits.maxPayloadBytes());
    }
}
