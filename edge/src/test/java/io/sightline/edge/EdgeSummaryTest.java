package io.sightline.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeSummaryTest {

    @Test
    void bytesTheCentreCannotCountAreUnknownNotZero() {
        var forwarding = new ForwardingMonitor.Status(12, 0, null, null, true, Map.of());
        var summary = new EdgeSummary("site-1", Duration.ofSeconds(30), 12, 2_000_000, 12, forwarding, "face-annotate",
                "ab12");

        assertThat(summary.toJson().get("forwardedBytes").isNull()).isTrue();
        assertThat(summary.toJson().get("forwardedPercent").isNull()).isTrue();
        assertThat(summary.toJson().get("forwardedRecords").asLong()).isEqualTo(12);
        assertThat(summary.line()).contains("forwarded 12 records (bytes unknown)").contains("central reachable");
        var text = new StringWriter();
        summary.print(new PrintWriter(text));
        assertThat(text.toString()).contains("forwarded            12 records, bytes unknown");
    }

    @Test
    void knownBytesGiveTheShareOfCameraBytes() {
        var forwarding = new ForwardingMonitor.Status(12, 0, null, 20_000L, true, Map.of());
        var summary = new EdgeSummary("site-1", Duration.ofSeconds(30), 12, 2_000_000, 12, forwarding, "face-annotate",
                "ab12");

        assertThat(summary.toJson().get("forwardedBytes").asLong()).isEqualTo(20_000);
        assertThat(summary.toJson().get("forwardedPercent").asDouble()).isEqualTo(1.0);
        assertThat(summary.line()).contains("forwarded 12 records (19.5 KiB, 1.00 % of camera bytes)");
    }
}
