package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    @Test
    void theShippedMtcnnManifestPinsTheSharedModelFile() throws IOException {
        ModelManifest mtcnn = ModelCatalog.bundled().get("mtcnn");
        Path file = TestAssets.dir().resolve(mtcnn.file());

        assertThat(mtcnn.format()).isEqualTo(ModelManifest.Format.FROZEN_GRAPHDEF);
        assertThat(mtcnn.license()).isEqualTo("MIT");
        assertThat(mtcnn.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
        assertThat(mtcnn.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(mtcnn.inputs()).containsOnlyKeys("input", "min_size", "thresholds", "factor");
        assertThat(mtcnn.outputs()).containsOnlyKeys("box", "prob", "landmarks");
        assertThat(mtcnn.defaults()).as("the smallest face is --min-face's, not the model's").containsOnlyKeys("thresholds", "factor");
        assertThat(mtcnn.defaultFloats("thresholds", new float[0])).containsExactly(0.6f, 0.7f, 0.7f);
        assertThat(mtcnn.spec()).isEqualTo(ModelSpec.MTCNN);
        assertThat(mtcnn.label()).isEqualTo("mtcnn@tf-mtcnn-b7ffa19");
    }

    @Test
    void anUnknownModelNameListsTheKnownOnes() {
        assertThatThrownBy(() -> ModelCatalog.bundled().get("yolo"))
                .hasMessageContaining("no model named yolo")
                .hasMessageContaining("mtcnn");
    }

    @Test
    void aManifestWithoutItsChecksumIsRefusedNamingTheField() {
        String json = """
                {"name": "m", "version": "1", "format": "frozen-graphdef", "file": "models/m/m.pb",
                 "sizeBytes": 10, "license": "MIT", "sourceUrl": "https://example.org/m.pb",
                 "inputs": {"in": "x"}, "outputs": {"out": "y"}}
                """;

        assertThatThrownBy(() -> ModelCatalog.parse("m.json", json))
                .hasMessageContaining("m.json")
                .hasMessageContaining("sha256");
    }

    @Test
    void anUnknownFormatIsRefused() {
        String json = """
                {"name": "m", "version": "1", "format": "onnx", "file": "models/m/m.pb", "sizeBytes": 10,
                 "sha256": "%s", "license": "MIT", "sourceUrl": "https://example.org/m.pb",
                 "inputs": {"in": "x"}, "outputs": {"out": "y"}}
                """.formatted("a".repeat(64));

        assertThatThrownBy(() -> ModelCatalog.parse("m.json", json))
                .hasMessageContaining("frozen-graphdef or saved-model, got onnx");
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
