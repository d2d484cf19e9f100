package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.DetectionOptions;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's promise: a UDF that loops, blows its memory cap or traps fails that one record within its time
 * budget plus 100 ms, and the next record is processed normally on a fresh Wasm instance. The test UDF
 * (misbehave.ts) counts the frames its Wasm instance has seen, so a fresh instance is visible.
 */
class SandboxTest {

    private static final Duration BUDGET = Duration.ofMillis(200);
    private static final long GRACE_MS = 100;
    private static final int MEMORY_PAGES = 64;

    private UdfRuntime runtime;
    private UdfInstance udf;

    @BeforeEach
    void load() {
        runtime = TestUdfs.load("misbehave", new FakeFaceDetector(List.of()),
                new UdfConfig(DetectionOptions.defaults(), MEMORY_PAGES, BUDGET));
        udf = runtime.newInstance();
        // Warm up: the instance's start and the first call's class loading are not what is measured.
        assertThat(calls()).isEqualTo(1);
        assertThat(calls()).isEqualTo(2);
    }

    @AfterEach
    void close() {
        udf.close();
        runtime.close();
    }

    @Test
    void anInfiniteLoopFailsItsRecordWithinTheBudgetAndTheNextRunsOnAFreshInstance() {
        assertFailsInTime("loop", FailureCode.UDF_TIMEOUT);
    }

    @Test
    void growingMemoryPastTheCapFailsItsRecordWithinTheBudgetAndTheNextRunsOnAFreshInstance() {
        assertFailsInTime("hog", FailureCode.UDF_TRAP);
    }

    @Test
    void aTrapFailsItsRecordWithinTheBudgetAndTheNextRunsOnAFreshInstance() {
        assertFailsInTime("trap", FailureCode.UDF_TRAP);
    }

    @Test
    void aModuleLoopingInItsStartFunctionIsRefusedWithinTheBudget() {
        UdfConfig config = new UdfConfig(DetectionOptions.defaults(), MEMORY_PAGES, BUDGET);
        // The first load also compiles the module; the compiled code is kept, so the second measures the start.
        assertThatThrownBy(() -> TestUdfs.load("start-loop", new FakeFaceDetector(List.of()), config))
                .isInstanceOf(UdfDeploymentException.class);
        long start = System.nanoTime();

        assertThatThrownBy(() -> TestUdfs.load("start-loop", new FakeFaceDetector(List.of()), config))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessageContaining("ran past its time budget of 200 ms in its start function");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isBetween(BUDGET.toMillis(), BUDGET.toMillis() + GRACE_MS);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    private void assertFailsInTime(String camera, FailureCode code) {
        FrameInput frame = TestFrames.jpegFrame(camera);
        long start = System.nanoTime();
        UdfResult result = udf.process(frame);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(result).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(code);
            assertThat(failed.message()).startsWith("misbehave@1.0.0 ");
        });
        assertThat(elapsedMs).isLessThanOrEqualTo(BUDGET.toMillis() + GRACE_MS);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(calls()).as("frames seen by the Wasm instance that handles the next record").isEqualTo(1);
    }

    /** How many frames the current Wasm instance has seen, this one included. */
    private int calls() {
        UdfResult result = udf.process(TestFrames.jpegFrame("calls"));
        assertThat(result).isInstanceOf(Emitted.class);
        return Integer.parseInt(new String(((Emitted) result).outputs().get(0).payload(), StandardCharsets.UTF_8));
    }
}
