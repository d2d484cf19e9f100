package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fields added to a published record (faces' {@code trackId}, deployments' {@code signature}): each schema must pass
 * the registry's FULL check against the one before it, so old readers and writers keep working.
 */
class AddedFieldsEvolutionTest {

    static Stream<Arguments> additions() {
        return Stream.of(
                Arguments.of("sightline.detections-value", "DetectionEvent-before-tracks.avsc",
                        DetectionEvent.getClassSchema(), "trackId"),
                Arguments.of("sightline.udfs-value", "UdfDeploymentRecord-before-signatures.avsc",
                        UdfDeploymentRecord.getClassSchema(), "signature"));
    }

    @ParameterizedTest(name = "{3} in {0}")
    @MethodSource("additions")
    void theRegistryAcceptsTheAddedFieldUnderFullCompatibility(String subject, String beforeFile, Schema now,
            String field) throws IOException {
        Schema before = read(beforeFile);
        try (var registry = EmbeddedSchemaRegistry.start(0)) {
            var rest = new RegistryRest(registry.url());
            rest.put("/config/" + subject, "{\"compatibility\":\"FULL\"}");
            assertThat(rest.register(subject, before.toString()).status()).isEqualTo(200);

            RegistryRest.Answer after = rest.register(subject, now.toString());

            assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
            assertThat(now.toString()).contains("\"" + field + "\"");
            assertThat(before.toString()).doesNotContain("\"" + field + "\"");
        }
    }

    private static Schema read(String file) throws IOException {
        try (InputStream in = AddedFieldsEvolutionTest.class.getResourceAsStream("/evolution/" + file)) {
            return new Schema.Parser().parse(in);
        }
    }
}
