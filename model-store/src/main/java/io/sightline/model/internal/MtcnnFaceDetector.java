package io.sightline.model.internal;

import io.sightline.model.BoundingBox;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelUnavailableException;
import io.sightline.model.Point;
import java.awt.image.BufferedImage;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * MTCNN (blaueck/tf-mtcnn frozen graph) on TensorFlow Java. One session serves every caller: TensorFlow sessions are
 * thread-safe, and one graph in memory is cheaper than one per thread.
 */
public final class MtcnnFaceDetector implements FaceDetector {

    private static final float[] STAGE_THRESHOLDS = {0.6f, 0.7f, 0.7f};
    private static final float PYRAMID_FACTOR = 0.709f;
    /** TensorFlow's inter-op setting for the detector's session: negative, every op on the calling thread. */
    public static final int INTER_OP_THREADS = -1;
    private static final String INPUT = "input";
    /**
     * An input this detector adds in front of {@link #INPUT}: the same image as packed bytes (RGB, or BGR for a graph
     * whose first layers could not be reordered), which TensorFlow casts to float itself (about 0.4 ms on a 960x661 frame, where converting in Java took 2.7 ms).
     */
    static final String BYTE_INPUT = "sightline/input_bytes";
    /**
     * The first convolution of each of MTCNN's three networks: the only weights that meet the image's channels. The
     * published graph takes BGR; their input channels are reversed at load so that it takes RGB, the order the JPEG
     * codec gives, and no frame is reordered on its way in (two 1.4 ms passes a frame before).
     */
    static final List<String> FIRST_LAYER_WEIGHTS =
            List.of("pnet/conv1/weights", "rnet/conv1/weights", "onet/conv1/weights");
    /** The operations this detector feeds and fetches; a graph without them is refused at load. */
    private static final List<String> REQUIRED_OPERATIONS =
            List.of(INPUT, "min_size", "thresholds", "factor", "box", "prob", "landmarks");
    /**
     * The graph's own last-stage suppression still lets through the same face twice (IoU ≈ 0.59 on the Solvay photo);
     * two distinct faces overlap far less than half even in a dense crowd.
     */
    static final float DUPLICATE_IOU = 0.5f;
    /**
     * The graph also returns a second, smaller box on a face, lying wholly inside its first (score 0.94 inside 1.0 on
     * eval/faces/faceapi-sample3.jpg, IoU 0.29, so the IoU rule keeps it). One face's box never holds another face, so
     * a box mostly inside a better one is that face again.
     */
    static final float NESTED_FRACTION = 0.8f;

    private final Graph graph;
    private final Session session;
    private final ModelInfo model;
    /** Whether the graph takes RGB ({@link #FIRST_LAYER_WEIGHTS} reversed) or BGR as published. */
    private final boolean takesRgb;
    // Readers are detections in flight; close() takes the write side so it never frees a session that is running.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private final float[] stageThresholds;
    private final float pyramidFactor;

    private MtcnnFaceDetector(Graph graph, Session session, ModelManifest manifest, boolean takesRgb) {
        this.graph = graph;
        this.session = session;
        this.takesRgb = takesRgb;
        this.model = manifest.info();
        this.stageThresholds = manifest.defaultFloats("thresholds", STAGE_THRESHOLDS);
        this.pyramidFactor = manifest.defaultFloat("factor", PYRAMID_FACTOR);
        if (stageThresholds.length != 3) {
            throw new IllegalArgumentException("model " + model.name() + " needs 3 stage thresholds, its manifest has "
                    + stageThresholds.length);
        }
    }

    /**
     * Loads the frozen graph into a new session. Each {@link #detect} runs its whole graph step on the calling thread,
     * one op at a time: callers bring their own parallelism (one per stream thread), and no op is handed to a
     * TensorFlow pool thread and back. Against a shared pool of 2 inter-op threads this measured 6 % faster alone
     * and 8 % in the pipeline at min face 40, the same at 20.
     */
    public static MtcnnFaceDetector load(Path graphFile, ModelManifest manifest) {
        ModelInfo model = manifest.info();
        GraphDef published = withByteInput(parse(graphFile, model));
        GraphDef graphDef = takingRgb(published);
        boolean takesRgb = graphDef != published;
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(1)
                .setInterOpParallelismThreads(INTER_OP_THREADS)
                // Grappler's rewrites find nothing to gain on this small frozen graph, but its cost estimator
                // prints pages of "PredictCost" errors for MTCNN's dynamic shapes on every start.
                .setGraphOptions(GraphOptions.newBuilder()
                        .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
                .build();
        Graph graph = new Graph();
        try {
            graph.importGraphDef(graphDef);
            requireOperations(graph, graphFile, manifest);
            return new MtcnnFaceDetector(graph, new Session(graph, config), manifest, takesRgb);
        } catch (ModelUnavailableException e) {
            graph.close();
            throw e;
        } catch (IllegalArgumentException | TensorFlowException e) {
            graph.close();
            throw new ModelUnavailableException("model " + model.name() + " at " + graphFile
                    + " cannot be loaded by TensorFlow: " + e.getMessage(), e);
        }
    }

    /** Refuses a graph that lacks a tensor the manifest or this detector uses, naming expected and missing ones. */
    private static void requireOperations(Graph graph, Path graphFile, ModelManifest manifest) {
        Set<String> expected = new TreeSet<>(REQUIRED_OPERATIONS);
        expected.addAll(manifest.inputs().keySet());
        expected.addAll(manifest.outputs().keySet());
        List<String> missing = expected.stream().filter(name -> graph.operation(name) == null).toList();
        if (!missing.isEmpty()) {
            throw new ModelUnavailableException("model " + manifest.label() + " at " + graphFile
                    + " is not the expected graph: it lacks tensor(s) " + missing + "; expected " + expected, null);
        }
    }

    /**
     * The graph with its float placeholder {@code input} turned into a cast from a new uint8 placeholder
     * {@link #BYTE_INPUT}. {@code input} keeps its name, so a float image can still be fed to it directly (feeding a
     * tensor replaces what computes it). A graph without that placeholder is returned as it is, and refused by
     * {@link #requireOperations} if it lacks {@code input} altogether.
     */
    static GraphDef withByteInput(GraphDef graph) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeDef node = graph.getNode(i);
            if (node.getName().equals(INPUT) && node.getOp().equals("Placeholder")
                    && node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() == DataType.DT_FLOAT) {
                NodeDef cast = NodeDef.newBuilder()
                        .setName(INPUT)
                        .setOp("Cast")
                        .addInput(BYTE_INPUT)
                        .putAttr("SrcT", AttrValue.newBuilder().setType(DataType.DT_UINT8).build())
                        .putAttr("DstT", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                        .putAttr("Truncate", AttrValue.newBuilder().setB(false).build())
                        .build();
                NodeDef bytes = NodeDef.newBuilder()
                        .setName(BYTE_INPUT)
                        .setOp("Placeholder")
                        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_UINT8).build())
                        .build();
                return graph.toBuilder().setNode(i, cast).addNode(bytes).build();
            }
        }
        return graph;
    }

    /**
     * The graph with the input channels of {@link #FIRST_LAYER_WEIGHTS} reversed, so that it takes RGB where it took
     * BGR and computes the same (only the order of three additions in each first-layer sum changes: boxes moved by
     * less than 0.001 px on the sample and evaluation images). A graph without those constant 4-D weights of 3 input
     * channels is returned as it is, and keeps taking BGR.
     */
    static GraphDef takingRgb(GraphDef graph) {
        GraphDef.Builder rgb = graph.toBuilder();
        int reversed = 0;
        for (int i = 0; i < rgb.getNodeCount(); i++) {
            NodeDef node = rgb.getNode(i);
            if (FIRST_LAYER_WEIGHTS.contains(node.getName()) && node.getOp().equals("Const")) {
                TensorProto weights = node.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor();
                TensorProto flipped = withInputChannelsReversed(weights);
                if (flipped == null) {
                    return graph;
                }
                rgb.setNode(i, node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(flipped).build()));
                reversed++;
            }
        }
        return reversed == FIRST_LAYER_WEIGHTS.size() ? rgb.build() : graph;
    }

    /** HWIO float weights with 3 input channels, the input channels in reverse order; null for anything else. */
    private static TensorProto withInputChannelsReversed(TensorProto weights) {
        List<TensorShapeProto.Dim> dims = weights.getTensorShape().getDimList();
        if (weights.getDtype() != DataType.DT_FLOAT || dims.size() != 4 || dims.get(2).getSize() != 3) {
            return null;
        }
        int inputs = 3;
        int outputs = Math.toIntExact(dims.get(3).getSize());
        int taps = Math.toIntExact(dims.get(0).getSize() * dims.get(1).getSize());
        ByteBuffer from = weights.getTensorContent().asReadOnlyByteBuffer();
        if (from.remaining() != Float.BYTES * taps * inputs * outputs) {
            return null;
        }
        byte[] to = new byte[from.remaining()];
        int run = Float.BYTES * outputs;
        for (int tap = 0; tap < taps; tap++) {
            for (int channel = 0; channel < inputs; channel++) {
                from.position((tap * inputs + channel) * run);
                from.get(to, (tap * inputs + inputs - 1 - channel) * run, run);
            }
        }
        return weights.toBuilder().setTensorContent(ByteString.copyFrom(to)).build();
    }

    private static GraphDef parse(Path graphFile, ModelInfo model) {
        try {
            return GraphDef.parseFrom(Files.readAllBytes(graphFile));
        } catch (IOException e) {
            throw new ModelUnavailableException("model " + model.name() + " at " + graphFile
                    + " is not a readable TensorFlow GraphDef: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Face> detect(BufferedImage image, DetectionOptions options) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        // No face of the requested size fits; the graph would also fail on an empty image pyramid.
        if (Math.min(image.getWidth(), image.getHeight()) < options.minFaceSize()) {
            return List.of();
        }
        Lock inFlight = lifecycle.readLock();
        inFlight.lock();
        try {
            if (closed) {
                throw new IllegalStateException("face detector for model " + model.name() + " is closed");
            }
            return NonMaxSuppression.apply(run(image, options), DUPLICATE_IOU, NESTED_FRACTION);
        } finally {
            inFlight.unlock();
        }
    }

    private List<Face> run(BufferedImage image, DetectionOptions options) {
        try (PixelTensors.Input input = PixelTensors.input(image, graph.operation(BYTE_INPUT) != null, takesRgb);
             TFloat32 minSize = TFloat32.scalarOf(options.minFaceSize());
             TFloat32 thresholds = TFloat32.vectorOf(stageThresholds);
             TFloat32 factor = TFloat32.scalarOf(pyramidFactor);
             Result result = session.runner()
                     .feed(input.bytes() ? BYTE_INPUT : INPUT, input.tensor())
                     .feed("min_size", minSize)
                     .feed("thresholds", thresholds)
                     .feed("factor", factor)
                     .fetch("box")
                     .fetch("prob")
                     .fetch("landmarks")
                     .run()) {
            // Result.close() closes the fetched tensors, so they are read into arrays before it runs.
            float[] boxes = floats(result, 0);
            float[] scores = floats(result, 1);
            float[] landmarks = floats(result, 2);
            return faces(boxes, scores, landmarks, image.getWidth(), image.getHeight());
        }
    }

    private static float[] floats(Result result, int index) {
        TFloat32 tensor = (TFloat32) result.get(index);
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asFloats().read(values);
        return values;
    }

    /** Boxes come as y1,x1,y2,x2 and landmarks as five y then five x, all in input pixels. */
    private static List<Face> faces(float[] boxes, float[] scores, float[] landmarks, int width, int height) {
        List<Face> faces = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            int b = i * 4;
            BoundingBox box = new BoundingBox(boxes[b + 1], boxes[b], boxes[b + 3], boxes[b + 2]).clip(width, height);
            List<Point> points = new ArrayList<>(Face.LANDMARKS);
            int l = i * 2 * Face.LANDMARKS;
            for (int k = 0; k < Face.LANDMARKS; k++) {
                points.add(new Point(landmarks[l + Face.LANDMARKS + k], landmarks[l + k]));
            }
            faces.add(new Face(box, scores[i], points));
        }
        return faces;
    }

    @Override
    public ModelInfo model() {
        return model;
    }

    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
            graph.close();
        } finally {
            exclusive.unlock();
        }
    }
}
