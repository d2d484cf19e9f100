package io.sightline.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.ModelSpec;
import io.sightline.model.TestAssets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/** The published MTCNN graph turned from BGR to RGB input by reordering its first layers' weights. */
class RgbGraphTest {

    private static GraphDef published() throws IOException {
        return GraphDef.parseFrom(Files.readAllBytes(TestAssets.dir().resolve(ModelSpec.MTCNN.relativePath())));
    }

    @Test
    void reversesTheInputChannelsOfTheThreeFirstLayersAndTouchesNothingElse() throws IOException {
        GraphDef bgr = published();
        GraphDef rgb = MtcnnFaceDetector.takingRgb(bgr);

        assertThat(rgb.getNodeCount()).isEqualTo(bgr.getNodeCount());
        int changed = 0;
        for (int i = 0; i < bgr.getNodeCount(); i++) {
            NodeDef before = bgr.getNode(i);
            NodeDef after = rgb.getNode(i);
            if (before.equals(after)) {
                continue;
            }
            changed++;
            assertThat(MtcnnFaceDetector.FIRST_LAYER_WEIGHTS).contains(before.getName());
            float[] from = floats(before);
            float[] to = floats(after);
            int outputs = Math.toIntExact(before.getAttrOrThrow("value").getTensor().getTensorShape().getDim(3).getSize());
            // HWIO: weight (tap, channel, output) sits at (tap * 3 + channel) * outputs + output.
            for (int at = 0; at < from.length; at++) {
                int output = at % outputs;
                int channel = (at / outputs) % 3;
                int tap = at / outputs / 3;
                assertThat(to[(tap * 3 + 2 - channel) * outputs + output]).isEqualTo(from[at]);
            }
        }
        assertThat(changed).isEqualTo(3);
    }

    @Test
    void aGraphWithoutEveryFirstLayerStaysAsItIs() throws IOException {
        GraphDef bgr = published();
        GraphDef withoutOnet = bgr.toBuilder().clearNode()
                .addAllNode(bgr.getNodeList().stream().filter(n -> !n.getName().equals("onet/conv1/weights")).toList())
                .build();

        assertThat(MtcnnFaceDetector.takingRgb(withoutOnet)).isSameAs(withoutOnet);
    }

    @Test
    void theRgbGraphOnRgbFindsWhatThePublishedGraphFindsOnBgr() throws IOException {
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");
        GraphDef bgr = published();

        for (float minFace : new float[] {20, 40}) {
            float[] published = boxes(bgr, solvay, minFace, false);
            float[] reordered = boxes(MtcnnFaceDetector.takingRgb(bgr), solvay, minFace, true);

            // Only the order of three additions per first-layer sum differs.
            assertThat(reordered).as("min face %s", minFace).hasSameSizeAs(published);
            assertThat(published.length).isGreaterThanOrEqualTo(4 * 29);
            for (int i = 0; i < published.length; i++) {
                assertThat(Math.abs(reordered[i] - published[i])).as("coordinate %d", i).isLessThan(0.01f);
            }
        }
    }

    private static float[] floats(NodeDef weights) {
        TensorProto tensor = weights.getAttrOrThrow("value").getTensor();
        ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /** The graph's raw boxes (y1, x1, y2, x2 per face) for the image fed as floats in RGB or BGR order. */
    private static float[] boxes(GraphDef graphDef, BufferedImage image, float minFace, boolean rgbOrder) {
        try (Graph graph = new Graph()) {
            graph.importGraphDef(graphDef);
            try (Session session = new Session(graph);
                 TFloat32 input = PixelTensors.of(image, rgbOrder);
                 TFloat32 minSize = TFloat32.scalarOf(minFace);
                 TFloat32 thresholds = TFloat32.vectorOf(0.6f, 0.7f, 0.7f);
                 TFloat32 factor = TFloat32.scalarOf(0.709f);
                 Result result = session.runner().feed("input", input).feed("min_size", minSize)
                         .feed("thresholds", thresholds).feed("factor", factor).fetch("box").run()) {
                TFloat32 box = (TFloat32) result.get(0);
                float[] values = new float[Math.toIntExact(box.shape().size())];
                box.asRawTensor().data().asFloats().read(values);
                return values;
            }
        }
    }
}
