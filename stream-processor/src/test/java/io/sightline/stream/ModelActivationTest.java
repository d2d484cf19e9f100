package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The value `models activate` writes to the models topic, as processors read it back. */
class ModelActivationTest {

    private static final ModelManifest STRICT = ModelCatalog.bundled().get("mtcnn@tf-mtcnn-b7ffa19-strict");
    private static final Instant AT = Instant.parse("2026-12-01T05:00:00Z");

    @Test
    void writesTheModelRefItsSha256AndTheTimeAsJsonKeyedByRole() throws Exception {
        ModelActivation activation = ModelActivation.faceDetector(STRICT, AT);

        assertThat(activation.role()).isEqualTo("face-detector");
        assertThat(new ObjectMapper().readTree(activation.toJson()).toString()).isEqualTo(
                "{\"model\":\"mtcnn@tf-mtcnn-b7ffa19-strict\",\"sha256\":\"" + STRICT.sha256()
                        + "\",\"activatedAt\":\"2026-12-01T05:00:00Z\"}");
        assertThat(ModelActivation.fromJson("face-detector", activation.toJson())).isEqualTo(activation);
    }

    @Test
    void refusesAValueThatIsNotAnActivation() {
        byte[] noSha = "{\"model\":\"mtcnn\",\"activatedAt\":\"2026-12-01T05:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        byte[] badTime = ("{\"model\":\"mtcnn\",\"sha256\":\"ab\",\"activatedAt\":\"yesterday\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ModelActivation.fromJson("face-detector", noSha))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("activation has no sha256");
        assertThatThrownBy(() -> ModelActivation.fromJson("face-detector", badTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activatedAt");
        assertThatThrownBy(() -> ModelActivation.fromJson("face-detector", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }
}
