package io.sightline.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import io.sightline.model.Point;
import io.sightline.udf.Timings;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfResult;
import java.util.List;

/** The JSON object `sightline detect --json` prints per image (contract in docs/architecture.md). */
public final class DetectJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DetectJson() {}

    public static ObjectNode emitted(String image, UdfResult.Emitted result, ModelInfo model, UdfInfo udf) {
        ObjectNode node = JSON.objectNode().put("image", image)
                .put("width", result.imageWidth())
                .put("height", result.imageHeight());
        node.set("faces", faces(result.faces()));
        node.set("model", JSON.objectNode()
                .put("name", model.name()).put("version", model.version()).put("sha256", model.sha256()));
        node.set("udf", JSON.objectNode()
                .put("name", udf.name()).put("version", udf.version()).put("sha256", udf.sha256()));
        node.set("timingsMs", timings(result.timings()));
        return node;
    }

    public static ObjectNode failed(String image, String code, String stage, String message) {
        ObjectNode node = JSON.objectNode().put("image", image);
        node.set("error", JSON.objectNode().put("code", code).put("stage", stage).put("message", message));
        return node;
    }

    private static ArrayNode faces(List<Face> faces) {
        ArrayNode array = JSON.arrayNode();
        for (Face face : faces) {
            ObjectNode f = array.addObject();
            f.putArray("box").add(round(face.box().x1())).add(round(face.box().y1()))
                    .add(round(face.box().x2())).add(round(face.box().y2()));
            f.put("score", Math.round(face.score() * 10000) / 10000.0);
            ArrayNode landmarks = f.putArray("landmarks");
            for (Point p : face.landmarks()) {
                landmarks.addArray().add(round(p.x())).add(round(p.y()));
            }
        }
        return array;
    }

    private static ObjectNode timings(Timings t) {
        return JSON.objectNode()
                .put("decode", round(t.decodeMs())).put("udf", round(t.udfMs()))
                .put("inference", round(t.inferenceMs())).put("total", round(t.totalMs()))
                .put("inferences", t.inferences());
    }

    /** Two decimals: sub-pixel noise in printed output helps nobody. */
    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
