package io.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a soak injects what: every fault after warm-up, in turn, ending before the drain. */
class SoakPlanTest {

    @Test
    void anHourHoldsTwoRoundsOfTheFourFaultsFiveMinutesApartAfterTheWarmup() {
        SoakPlan plan = plan(60, 10);

        List<SoakPlan.Fault> faults = plan.faults();

        assertThat(faults).hasSize(9);
        assertThat(faults).extracting(SoakPlan.Fault::kind).startsWith(SoakPlan.FaultKind.PROCESSOR_KILL,
                SoakPlan.FaultKind.BROKER_RESTART, SoakPlan.FaultKind.REGISTRY_DOWN, SoakPlan.FaultKind.EDGE_LINK_CUT,
                SoakPlan.FaultKind.PROCESSOR_KILL);
        assertThat(faults.get(0).at()).isEqualTo(Duration.ofMinutes(10).plusSeconds(75));
        assertThat(faults.get(1).at().minus(faults.get(0).at())).isEqualTo(Duration.ofMinutes(5));
        SoakPlan.Fault last = faults.get(faults.size() - 1);
        assertThat(last.at().plus(last.kind().lasting())).isLessThan(Duration.ofMinutes(60).minus(SoakPlan.DRAIN));
    }

    @Test
    void aShortRunSpreadsTheFourFaultsOverWhatIsLeft() {
        List<SoakPlan.Fault> faults = plan(10, 2).faults();

        assertThat(faults).extracting(SoakPlan.Fault::kind).containsExactly(SoakPlan.FaultKind.values());
        assertThat(faults.get(1).at().minus(faults.get(0).at())).isEqualTo(Duration.ofSeconds(105));
        assertThat(faults.get(3).at().plus(SoakPlan.FaultKind.EDGE_LINK_CUT.lasting()))
                .isLessThanOrEqualTo(Duration.ofMinutes(9));
    }

    @Test
    void memoryIsJudgedOnceEveryKindOfFaultHasHappenedOnce() {
        SoakPlan plan = plan(60, 10);
        SoakPlan.Fault cut = plan.faults().get(3);

        assertThat(cut.kind()).isEqualTo(SoakPlan.FaultKind.EDGE_LINK_CUT);
        assertThat(plan.memoryJudgedFrom()).isEqualTo(cut.at().plusSeconds(60 + 30));
        assertThat(plan.memoryJudgedFrom()).isLessThan(Duration.ofMinutes(30));
    }

    @Test
    void aRunTooShortForItsFaultsIsRefusedSayingWhatToChange() {
        assertThatThrownBy(() -> plan(5, 2)).hasMessageContaining("make --minutes longer or --warmup shorter");
    }

    private static SoakPlan plan(long minutes, long warmup) {
        return new SoakPlan(Duration.ofMinutes(minutes), Duration.ofMinutes(warmup), 4, 1, false, Path.of("assets"),
                Path.of("work"), List.of("java"));
    }
}
