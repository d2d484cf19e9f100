package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One camera's zone and line counts in one window: by zone or line name, then by what happened ({@code enter},
 * {@code exit}, {@code loiter}, or a line's direction such as {@code left-to-right}). Kept in the window stores as
 * JSON text.
 */
final class ZoneCounts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ZoneCounts() {}

    /**
     * What a record of the alerts output counts as, {@code "name\twhat"}: only the processor's zone records
     * ({@code udf.name} {@code zones}); empty for anything else (crowd alerts, a user's own records).
     */
    static List<String> countersOf(String maker, byte[] payload) {
        if (!"zones".equals(maker)) {
            return List.of();
        }
        try {
            JsonNode record = JSON.readTree(payload);
            String kind = record.path("kind").asText();
            return switch (kind) {
                case "line-cross" -> List.of(record.path("line").asText() + "\t" + record.path("direction").asText());
                case "zone-enter" -> List.of(record.path("zone").asText() + "\tenter");
                case "zone-exit" -> List.of(record.path("zone").asText() + "\texit");
                case "loiter" -> List.of(record.path("zone").asText() + "\tloiter");
                default -> List.of();
            };
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code counts} (JSON text) with one more of {@code counter}. */
    static String add(String counts, String counter) {
        Map<String, Map<String, Long>> all = read(counts);
        String[] parts = counter.split("\t", 2);
        all.computeIfAbsent(parts[0], k -> new TreeMap<>()).merge(parts[1], 1L, Long::sum);
        return write(all);
    }

    /** The sum of several windows' counts, as a JSON object: name → what → count. */
    static ObjectNode sum(List<String> windows) {
        Map<String, Map<String, Long>> total = new TreeMap<>();
        for (String window : windows) {
            read(window).forEach((name, counts) -> counts.forEach((what, n) ->
                    total.computeIfAbsent(name, k -> new TreeMap<>()).merge(what, n, Long::sum)));
        }
        return JSON.valueToTree(total);
    }

    private static Map<String, Map<String, Long>> read(String counts) {
        Map<String, Map<String, Long>> all = new TreeMap<>();
        if (counts == null || counts.isEmpty()) {
            return all;
        }
        try {
            JSON.readTree(counts).fields().forEachRemaining(name -> {
                Map<String, Long> whats = new TreeMap<>();
                name.getValue().fields().forEachRemaining(what -> whats.put(what.getKey(), what.getValue().asLong()));
                all.put(name.getKey(), whats);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private static String write(Map<String, Map<String, Long>> all) {
        try {
            return JSON.writeValueAsString(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
