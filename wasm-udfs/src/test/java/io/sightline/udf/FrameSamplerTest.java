package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.FaceDetector;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled frame-sampler UDF on frames with synthetic record times; it never needs their pixels. */
class FrameSamplerTest {

    private static final long T0 = 1_700_000_000_000L;
    /** Not an image at all: a filter that decoded it would fail the frame. */
    private static final byte[] NOT_DECODED = {0, 1, 2};

    @Test
    void passesOneFramePerSecondByDefault() {
        // 10 fps for 3 seconds.
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            times.add(T0 + i * 100L);
        }
        assertThat(passed("{}", "cam", times, UdfState.inMemory())).containsExactly(T0, T0 + 1000, T0 + 2000);
    }

    @Test
    void passesAtMostTheConfiguredRateInAnySecond() {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            times.add(T0 + i * 1000L / 30);
        }
        List<Long> passed = passed("{\"fps\": 2}", "cam", times, UdfState.inMemory());

        assertThat(passed).hasSize(6);
        for (int i = 2; i < passed.size(); i++) {
            assertThat(passed.get(i) - passed.get(i - 2)).as("two passes before %d", i).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void keepsEachCameraToItsOwnRateAndSurvivesAFreshInstance() {
        UdfState state = UdfState.inMemory();
        assertThat(passed("{}", "a", List.of(T0, T0 + 400), state)).containsExactly(T0);
        assertThat(passed("{}", "b", List.of(T0 + 500), state)).containsExactly(T0 + 500);
        // A new instance (another processor after failover) with the same state remembers camera a's last pass.
        assertThat(passed("{}", "a", List.of(T0 + 800, T0 + 1000), state)).containsExactly(T0 + 1000);
    }

    @Test
    void startsANewTimelineWhenRecordTimeGoesBack() {
        assertThat(passed("{}", "cam", List.of(T0 + 5000, T0, T0 + 300), UdfState.inMemory()))
                .containsExactly(T0 + 5000, T0);
    }

    @Test
    void refusesAnFpsThatIsNotAPositiveNumber() {
        for (String config : List.of("{\"fps\": 0}", "{\"fps\": -1}", "{\"fps\": \"fast\"}")) {
            assertThatThrownBy(() -> runtime(config).close())
                    .isInstanceOf(UdfDeploymentException.class)
                    .hasMessageEndingWith("init returned error status 2");
        }
    }

    private static List<Long> passed(String config, String camera, List<Long> times, UdfState state) {
        List<Long> passed = new ArrayList<>();
        try (UdfRuntime runtime = runtime(config); UdfInstance udf = runtime.newInstance()) {
            for (long time : times) {
                UdfResult result = udf.process(new FrameInput(camera, camera + "-" + time, time, ImageEncoding.JPEG,
                        640, 480, NOT_DECODED), state);
                if (result instanceof Emitted emitted) {
                    assertThat(emitted.faces()).isEmpty();
                    assertThat(emitted.annotated()).isEmpty();
                    assertThat(emitted.outputs()).isEmpty();
                    passed.add(time);
                } else {
                    assertThat(result).isInstanceOf(Dropped.class);
                }
            }
        }
        return passed;
    }

    private static UdfRuntime runtime(String config) {
        return UdfRuntime.bundled("frame-sampler", config, FaceDetector.none(), UdfConfig.defaults());
    }
}
