package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.DetectionOptions;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A test UDF (src/test/assemblyscript/misbehave.ts) that traps, spins, errs or breaks the ABI depending on the
 * frame's camera id, so one instance can be seen failing and then handling the next good frame. It is loaded from
 * its bytes and compiled at run time, as a deployed UDF is.
 */
class MisbehavingUdfTest {

    private static final Duration BUDGET = Duration.ofMillis(200);

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of());
    private UdfRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void reportsATrapAndProcessesTheNextFrame() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            UdfResult trapped = udf.process(TestFrames.jpegFrame("trap"));
            UdfResult next = udf.process(TestFrames.jpegFrame("ok"));

            assertThat(trapped).isInstanceOfSatisfying(Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo(FailureCode.UDF_TRAP);
                assertThat(failed.stage()).isEqualTo("udf");
                assertThat(failed.message()).startsWith("misbehave@1.0.0 trapped: ");
            });
            assertThat(next).isInstanceOfSatisfying(Emitted.class,
                    emitted -> assertThat(emitted.annotated()).isPresent());
        }
    }

    @Test
    void interruptsARunawayLoopAtTheBudgetAndProcessesTheNextFrame() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            long start = System.nanoTime();
            UdfResult spun = udf.process(TestFrames.jpegFrame("loop"));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(spun).isEqualTo(new Failed(FailureCode.UDF_TIMEOUT, "udf",
                    "misbehave@1.0.0 ran past its time budget of 200 ms and was interrupted"));
            // The watchdog lets the call use its whole budget; how soon after that it stops is for benchmarks.
            assertThat(elapsedMs).isGreaterThanOrEqualTo(BUDGET.toMillis());
            assertThat(Thread.currentThread().isInterrupted()).as("watchdog interrupt cleared").isFalse();
            assertThat(udf.process(TestFrames.jpegFrame("ok"))).isInstanceOf(Emitted.class);
        }
    }

    @Test
    void stopsWithCancellationWhenTheCallingThreadIsInterrupted() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> udf.process(TestFrames.jpegFrame("loop")))
                        .isInstanceOf(CancellationException.class);
                assertThat(Thread.currentThread().isInterrupted()).as("caller's interrupt kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(udf.process(TestFrames.jpegFrame("ok"))).isInstanceOf(Emitted.class);
        }
    }

    @Test
    void reportsTheUdfsOwnErrorStatus() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            assertThat(udf.process(TestFrames.jpegFrame("error")))
                    .isEqualTo(new Failed(FailureCode.UDF_ERROR, "udf", "misbehave@1.0.0 returned error status 7"));
        }
    }

    @Test
    void reportsAnUnknownHandleAsAnAbiViolation() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            assertThat(udf.process(TestFrames.jpegFrame("bad-handle"))).isEqualTo(
                    new Failed(FailureCode.UDF_ABI, "udf", "misbehave@1.0.0 broke the ABI: unknown image handle 999"));
        }
    }

    @Test
    void dropsAFrameTheUdfDeclines() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            assertThat(udf.process(TestFrames.jpegFrame("drop"))).isInstanceOfSatisfying(Dropped.class,
                    dropped -> assertThat(dropped.reason()).isEqualTo("misbehave@1.0.0 dropped the frame"));
        }
    }

    @Test
    void capsLinearMemoryAtTheConfiguredPages() {
        try (UdfInstance capped = newInstance(8)) {
            assertThat(capped.process(TestFrames.jpegFrame("grow")))
                    .isEqualTo(new Failed(FailureCode.UDF_ERROR, "udf", "misbehave@1.0.0 returned error status 9"));
        }
        runtime.close();
        try (UdfInstance roomy = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            assertThat(roomy.process(TestFrames.jpegFrame("grow"))).isInstanceOf(Emitted.class);
        }
    }

    @Test
    void reportsMemoryExhaustionAtTheCapAsATrapAndProcessesTheNextFrame() {
        try (UdfInstance udf = newInstance(64)) {
            UdfResult hog = udf.process(TestFrames.jpegFrame("hog"));

            assertThat(hog).isInstanceOfSatisfying(Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo(FailureCode.UDF_TRAP);
                assertThat(failed.message()).matches("misbehave@1\\.0\\.0 trapped: .+ \\(memory: \\d+ of 64 pages\\)");
                int pagesInUse = Integer.parseInt(failed.message().replaceAll(".*memory: (\\d+) of.*", "$1"));
                // 1 MiB (16 pages) at a time: the allocation that trapped did not fit in what was left.
                assertThat(pagesInUse).isGreaterThan(64 - 17);
            });
            assertThat(udf.process(TestFrames.jpegFrame("ok"))).isInstanceOf(Emitted.class);
        }
    }

    @Test
    void logsThroughTheHostWithoutDisturbingTheFrame() {
        try (UdfInstance udf = newInstance(UdfConfig.DEFAULT_MEMORY_MAX_PAGES)) {
            assertThat(udf.process(TestFrames.jpegFrame("log"))).isInstanceOf(Emitted.class);
        }
    }

    private UdfInstance newInstance(int memoryMaxPages) {
        runtime = TestUdfs.load("misbehave", detector,
                new UdfConfig(DetectionOptions.defaults(), memoryMaxPages, BUDGET));
        return runtime.newInstance();
    }
}
