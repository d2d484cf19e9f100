package io.sightline.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;

/** What an edge site did: frames in from its cameras, events made, what crossed the link and what waits. */
public record EdgeSummary(String site, Duration uptime, long framesIn, long cameraBytes, long events,
        ForwardingMonitor.Status forwarding, String udf, String udfSha256) {

    /** Bytes forwarded per camera byte, in percent; null before any camera byte or while the bytes are unknown. */
    public Double forwardedPercent() {
        return cameraBytes == 0 || forwarding.forwardedBytes() == null ? null
                : 100.0 * forwarding.forwardedBytes() / cameraBytes;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("site", site)
                .put("uptimeSeconds", uptime.toSeconds())
                .put("framesIn", framesIn)
                .put("cameraBytes", cameraBytes)
                .put("events", events)
                .put("forwardedRecords", forwarding.forwardedRecords())
                .put("pendingRecords", forwarding.pendingRecords())
                .put("centralReachable", forwarding.centralReachable())
                .put("udf", udf)
                .put("udfSha256", udfSha256);
        if (forwarding.forwardedBytes() == null) {
            json.putNull("forwardedBytes");
        } else {
            json.put("forwardedBytes", forwarding.forwardedBytes());
        }
        if (forwarding.oldestPendingAgeMs() == null) {
            json.putNull("oldestPendingAgeMs");
        } else {
            json.put("oldestPendingAgeMs", forwarding.oldestPendingAgeMs());
        }
        if (forwardedPercent() == null) {
            json.putNull("forwardedPercent");
        } else {
            json.put("forwardedPercent", Math.round(forwardedPercent() * 100) / 100.0);
        }
        var pending = json.putObject("pendingByTopic");
        forwarding.pendingByTopic().forEach(pending::put);
        return json;
    }

    /** One line for the periodic status. */
    public String line() {
        return String.format("edge %s: %d frames in (%s), %d events; forwarded %d records (%s%s), %d pending%s; "
                        + "central %s; UDF %s",
                site, framesIn, bytes(cameraBytes), events, forwarding.forwardedRecords(),
                bytes(forwarding.forwardedBytes()),
                forwardedPercent() == null ? "" : String.format(", %.2f %% of camera bytes", forwardedPercent()),
                forwarding.pendingRecords(),
                forwarding.oldestPendingAgeMs() == null ? ""
                        : String.format(", oldest %.1f s old", forwarding.oldestPendingAgeMs() / 1000.0),
                forwarding.centralReachable() ? "reachable" : "UNREACHABLE", udf);
    }

    public void print(PrintWriter out) {
        out.printf("site                 %s (up %d s)%n", site, uptime.toSeconds());
        out.printf("frames in            %d (%s from cameras)%n", framesIn, bytes(cameraBytes));
        out.printf("events at the edge   %d%n", events);
        out.printf("forwarded            %d records, %s%s%n", forwarding.forwardedRecords(),
                bytes(forwarding.forwardedBytes()), forwardedPercent() == null ? ""
                        : String.format(" (%.2f %% of camera bytes)", forwardedPercent()));
        out.printf("waiting at the edge  %d records%s%n", forwarding.pendingRecords(),
                forwarding.oldestPendingAgeMs() == null ? ""
                        : String.format(", oldest %.1f s old", forwarding.oldestPendingAgeMs() / 1000.0));
        out.printf("central cluster      %s%n", forwarding.centralReachable() ? "reachable" : "unreachable");
        out.printf("UDF                  %s (sha256 %s)%n", udf, udfSha256);
        out.flush();
    }

    private static String bytes(Long bytes) {
        return bytes == null ? "bytes unknown"
                : bytes < 10 * 1024 ? bytes + " B"
                : bytes < 10L * 1024 * 1024 ? String.format("%.1f KiB", bytes / 1024.0)
                : String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
