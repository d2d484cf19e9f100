package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.DetectionEvent;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Faces gained {@code trackId}: the detections' schema must pass the registry's FULL check against the one before. */
class TrackIdEvolutionTest {

    @Test
    void theRegistryAcceptsEventsWithTrackIdsUnderFullCompatibility() throws IOException {
        try (var registry = EmbeddedSchemaRegistry.start(0)) {
            var rest = new RegistryRest(registry.url());
            rest.put("/config/sightline.detections-value", "{\"compatibility\":\"FULL\"}");
            assertThat(rest.register("sightline.detections-value", before().toString()).status()).isEqualTo(200);

            RegistryRest.Answer after = rest.register("sightline.detections-value",
                    DetectionEvent.getClassSchema().toString());

            assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
            assertThat(DetectionEvent.getClassSchema().toString()).contains("\"trackId\"");
            assertThat(before().toString()).doesNotContain("\"trackId\"");
        }
    }

    private static Schema before() throws IOException {
        try (InputStream in = TrackIdEvolutionTest.class.getResourceAsStream(
                "/evolution/DetectionEvent-before-tracks.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}
