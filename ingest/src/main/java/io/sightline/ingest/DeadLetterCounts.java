package io.sightline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.DeadLetterReason;
import java.util.Map;

/** The dead-letter part of an ingest command's summary: records sent to the dead-letter topic, by reason. */
public final class DeadLetterCounts {

    private DeadLetterCounts() {}

    public static long total(Map<DeadLetterReason, Integer> byReason) {
        return byReason.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Adds {@code "byReason": {"TOO_LARGE": 3, …}} to a JSON summary. */
    public static void put(ObjectNode summary, Map<DeadLetterReason, Integer> byReason) {
        var reasons = summary.putObject("byReason");
        byReason.forEach((reason, count) -> reasons.put(reason.name(), count));
    }
}
