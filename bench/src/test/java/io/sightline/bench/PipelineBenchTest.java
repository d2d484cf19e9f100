package io.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of the pipeline bench: how halves combine, how cameras are named, what counts as steady. */
class PipelineBenchTest {

    @Test
    void theBareLoopsHalvesCountAsOneLoopAllFramesOverAllTheirTime() {
        var before = new PipelineBench.BareHalf(100, 10.0, List.of(90.0, 100.0, 110.0), 2000);
        var after = new PipelineBench.BareHalf(100, 5.0, List.of(40.0, 50.0), 1000);

        BenchReport.Bare bare = PipelineBench.combine(before, after);

        assertThat(bare.framesPerSecond()).isCloseTo(200 / 15.0, within(1e-9));
        assertThat(bare.beforeFramesPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(bare.afterFramesPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(bare.inferenceMs()).isEqualTo(90.0);
        assertThat(bare.cpuMsPerFrame()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void namesCamerasAsUsersDoWhereverTheyLand() {
        assertThat(PipelineBench.cameraIds(3, null)).containsExactly("cam-1", "cam-2", "cam-3");
        assertThat(PipelineBench.cameraIds(2, List.of("a", "b"))).containsExactly("a", "b");
        assertThatThrownBy(() -> PipelineBench.cameraIds(0, List.of()))
                .hasMessageContaining("--cameras must be at least 1");
        assertThatThrownBy(() -> PipelineBench.cameraIds(2, List.of("a", "a")))
                .hasMessageContaining("each camera id once");
    }

    @Test
    void namesAStreamThreadByItsNumber() {
        assertThat(StreamThreadCpu.shortName("sightline-processor-1b2c-StreamThread-2")).isEqualTo("StreamThread-2");
        assertThat(StreamThreadCpu.shortName("main")).isEqualTo("main");
    }

    @Test
    void countsOnlyTheStreamThreadsOfItsOwnApplication() {
        var names = StreamThreadCpu.streamThreadNames("sightline-processor");
        String client = "sightline-processor-23e24728-e5da-4719-83dc-e32d4cd9fd7d";
        assertThat(names.matcher(client + "-StreamThread-2").matches()).isTrue();
        assertThat(names.matcher(client + "-StreamThread-2-producer").matches()).as("its producer's thread").isFalse();
        assertThat(names.matcher("dying-processor-23e24728-e5da-4719-83dc-e32d4cd9fd7d-StreamThread-1").matches())
                .as("another application left running in the JVM").isFalse();
        assertThat(names.matcher("sightline-processor-2-23e24728-e5da-4719-83dc-e32d4cd9fd7d-StreamThread-1")
                .matches()).as("an application whose id only starts the same").isFalse();
    }

    @Test
    void throughputCountsOnlyWhileEveryThreadWasBusyNotTheWindDownAfter() {
        long second = 1_000_000_000L;
        // Finished in any order; 4 measured frames take 2 s from the first one done; the 5th, 9 s later, is the tail
        // one thread finished alone.
        List<Long> finished = List.of(2 * second, 0L, second, 11 * second, 3 * second / 2, second / 2);

        assertThat(PipelineBench.steadyRate(finished, 4)).isCloseTo(2.0, within(1e-9));
        assertThat(PipelineBench.steadyRate(finished, 5)).isCloseTo(5 / 11.0, within(1e-9));
        assertThat(PipelineBench.steadyRate(List.of(7L), 4)).isZero();
    }
}
