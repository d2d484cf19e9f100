package io.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A soak's memory verdict: flat within 10 % from the end of warm-up, and from when every fault has happened once. */
class SoakReportTest {

    private static final SoakPlan HOUR = new SoakPlan(Duration.ofMinutes(60), Duration.ofMinutes(10), 4, 1, false,
            Path.of("assets"), Path.of("work"), List.of("java"));

    @Test
    void smallStepsAtTheFaultsPass() {
        SoakReport report = report(minute -> 1500 + (minute >= 11 ? 17 : 0) + (minute >= 31 ? 9 : 0));

        assertThat(report.rssGrowthAfterWarmup("processor-b")).isCloseTo(26.0 / 1500, within());
        assertThat(report.rssGrowth("processor-b")).isCloseTo(9.0 / 1517, within());
        assertThat(report.failures()).isEmpty();
        assertThat(report.text()).contains("PASSED", "processor-b", "growth from 10.0 min (warm-up over) 1.7 %");
    }

    @Test
    void aStepAfterWarmupFailsThoughMemoryIsFlatOnceEveryFaultHappened() {
        SoakReport report = report(minute -> minute >= 12 ? 1200 : 1000);

        assertThat(report.rssGrowth("processor-b")).isZero();
        assertThat(report.failures()).containsExactly("processor-b resident memory grew 20.0 % from 10.0 min on");
    }

    @Test
    void steadyGrowthFailsBothWays() {
        SoakReport report = report(minute -> 1000 + 10 * minute);

        assertThat(report.failures()).hasSize(2).allMatch(failure -> failure.startsWith("processor-b resident memory"));
        assertThat(report.json().get("rssGrowthAfterWarmup").get("processor-b").asDouble())
                .isCloseTo((1590.0 - 1100) / 1100, within());
        assertThat(report.json().get("passed").asBoolean()).isFalse();
    }

    /** An hour sampled every 15 s: processor-b as given per minute, the edge flat. */
    private static SoakReport report(LongUnaryOperator processorMibAtMinute) {
        List<SoakReport.RssSample> rss = new ArrayList<>();
        for (int quarter = 0; quarter < 60 * 4; quarter++) {
            Duration at = Duration.ofSeconds(15L * quarter);
            rss.add(new SoakReport.RssSample("processor-b", at, processorMibAtMinute.applyAsLong(at.toMinutes())));
            rss.add(new SoakReport.RssSample("edge", at, 800));
        }
        var central = new SoakReport.Seen(Map.of("f1", 1), Map.of(), List.of(120L));
        return new SoakReport(HOUR, Duration.ofMinutes(60), Set.of("f1"), Map.of(), central,
                new SoakReport.EdgeCheck(1, 0, 0), List.of(), rss);
    }

    private static Offset<Double> within() {
        return offset(1e-9);
    }
}
