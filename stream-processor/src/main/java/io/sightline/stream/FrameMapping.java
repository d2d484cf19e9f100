package io.sightline.stream;

import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.AnnotatedImageStatus;
import io.sightline.schemas.avro.Box;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.Landmark;
import io.sightline.schemas.avro.ModelRef;
import io.sightline.schemas.avro.Timings;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.udf.EncodedImage;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageFit;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfOutput;
import io.sightline.udf.UdfResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Translates between the Avro records on the topics and the UDF host's Java values. */
public final class FrameMapping {

    private FrameMapping() {}

    public static FrameInput toInput(Frame frame) {
        ByteBuffer payload = frame.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return new FrameInput(frame.getCameraId(), frame.getFrameId(), frame.getCapturedAt().toEpochMilli(),
                io.sightline.udf.ImageEncoding.valueOf(frame.getEncoding().name()),
                frame.getWidth(), frame.getHeight(), bytes);
    }

    /** Same camera, frame and model always give the same id, so a replayed frame can be recognised downstream. */
    public static String eventId(String cameraId, String frameId, ModelInfo model) {
        String identity = cameraId + '\n' + frameId + '\n' + model.name() + '\n' + model.sha256();
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * @param udf      the stage that reported the faces
     * @param pipeline the pipeline whose chain ran
     */
    public static DetectionEvent detectionEvent(Frame frame, UdfResult.Emitted emitted, UdfInfo udf, ModelInfo model,
            Instant processedAt, String pipeline) {
        var t = emitted.timings();
        return DetectionEvent.newBuilder()
                .setEventId(eventId(frame.getCameraId(), frame.getFrameId(), model))
                .setCameraId(frame.getCameraId())
                .setFrameId(frame.getFrameId())
                .setCapturedAt(frame.getCapturedAt())
                .setProcessedAt(processedAt)
                .setImageWidth(emitted.imageWidth())
                .setImageHeight(emitted.imageHeight())
                .setFaces(emitted.faces().stream().map(FrameMapping::faceDetection).toList())
                .setModel(new ModelRef(model.name(), model.version(), model.sha256()))
                .setUdf(udfRef(udf))
                .setTimings(new Timings(t.decodeMs(), t.udfMs(), t.inferenceMs(), t.totalMs(), t.inferences()))
                .setAnnotated(annotatedStatus(emitted.annotatedFit()))
                .setPipeline(pipeline)
                .build();
    }

    /** A record a UDF emitted to a named output, tied to the frame's event by its id. */
    public static UdfOutputRecord outputRecord(Frame frame, DetectionEvent event, UdfOutput output) {
        return UdfOutputRecord.newBuilder()
                .setEventId(event.getEventId())
                .setCameraId(frame.getCameraId())
                .setFrameId(frame.getFrameId())
                .setCapturedAt(frame.getCapturedAt())
                .setOutput(output.output())
                .setContentType(output.contentType())
                .setPayload(ByteBuffer.wrap(output.payload()))
                .setUdf(udfRef(output.udf()))
                .setPipeline(event.getPipeline())
                .build();
    }

    public static AnnotatedFrame annotatedFrame(Frame frame, DetectionEvent event, EncodedImage image) {
        return AnnotatedFrame.newBuilder()
                .setCameraId(frame.getCameraId())
                .setFrameId(frame.getFrameId())
                .setCapturedAt(frame.getCapturedAt())
                .setEventId(event.getEventId())
                .setEncoding(ImageEncoding.valueOf(image.encoding().name()))
                .setWidth(image.width())
                .setHeight(image.height())
                .setImage(ByteBuffer.wrap(image.bytes()))
                .setClockSkew(event.getClockSkew())
                .build();
    }

    private static AnnotatedImageStatus annotatedStatus(ImageFit fit) {
        return switch (fit) {
            case FULL -> AnnotatedImageStatus.FULL;
            case REDUCED -> AnnotatedImageStatus.REDUCED;
            case OMITTED -> AnnotatedImageStatus.OMITTED;
            case NONE -> AnnotatedImageStatus.NONE;
        };
    }

    private static FaceDetection faceDetection(Face face) {
        var b = face.box();
        List<Landmark> landmarks = face.landmarks().stream().map(p -> new Landmark(p.x(), p.y())).toList();
        return new FaceDetection(new Box(b.x1(), b.y1(), b.x2(), b.y2()), face.score(), landmarks, null);
    }

    public static UdfRef udfRef(UdfInfo udf) {
        return new UdfRef(udf.name(), udf.version(), udf.sha256());
    }
}
