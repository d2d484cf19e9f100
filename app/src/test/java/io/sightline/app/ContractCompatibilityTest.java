package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sightline's subjects on the registry that `broker` and `demo` run are FULL: the detection topic's schema can gain
 * an optional field, but not lose a required one, so every consumer, older or newer, reads every record.
 */
class ContractCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void detectionSchemaMayGainOptionalFieldsButNotLoseRequiredOnes() throws Exception {
        Topics topics = Topics.withPrefix("contract");
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1)) {
            URI registry = cluster.registryUrl();
            String subject = topics.detections() + "-value";
            assertThat(RegistryHttp.ok(registry, "/config/" + subject).get("compatibilityLevel").asText())
                    .isEqualTo("FULL");
            assertThat(RegistryHttp.ok(registry, "/config").get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            String current = DetectionEvent.getClassSchema().toString();
            RegistryHttp.register(registry, subject, current);

            ObjectNode withoutCamera = (ObjectNode) JSON.readTree(current);
            ArrayNode fields = (ArrayNode) withoutCamera.get("fields");
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals("cameraId")) {
                    fields.remove(i);
                    break;
                }
            }
            RegistryHttp.Answer refused = RegistryHttp.tryRegister(registry, subject, withoutCamera.toString());
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("error_code").asInt()).isEqualTo(409);
            assertThat(refused.body().get("message").asText()).contains("cameraId");

            ObjectNode withSite = (ObjectNode) JSON.readTree(current);
            ((ArrayNode) withSite.get("fields")).addObject().put("name", "site")
                    .putNull("default").putArray("type").add("null").add("string");
            int id = RegistryHttp.register(registry, subject, withSite.toString());
            assertThat(RegistryHttp.ok(registry, "/subjects/" + subject + "/versions/latest").get("id").asInt())
                    .isEqualTo(id);
        }
    }

    @Test
    void pipelineFieldIsAFullyCompatibleAdditionAndNamedOutputSubjectsAreFull() throws Exception {
        Topics topics = Topics.withPrefix("contract2");
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1,
                Set.of("alerts"))) {
            URI registry = cluster.registryUrl();
            String subject = topics.detections() + "-value";
            ObjectNode beforePipelines = (ObjectNode) JSON.readTree(DetectionEvent.getClassSchema().toString());
            ArrayNode fields = (ArrayNode) beforePipelines.get("fields");
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals("pipeline")) {
                    fields.remove(i);
                    break;
                }
            }
            int before = RegistryHttp.register(registry, subject, beforePipelines.toString());
            int now = RegistryHttp.register(registry, subject, DetectionEvent.getClassSchema().toString());

            assertThat(now).isNotEqualTo(before);
            String alerts = topics.output("alerts") + "-value";
            assertThat(RegistryHttp.ok(registry, "/config/" + alerts).get("compatibilityLevel").asText())
                    .isEqualTo("FULL");
            RegistryHttp.register(registry, alerts, UdfOutputRecord.getClassSchema().toString());
        }
    }
}
