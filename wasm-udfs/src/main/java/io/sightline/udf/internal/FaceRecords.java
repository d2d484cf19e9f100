package io.sightline.udf.internal;

import io.sightline.model.BoundingBox;
import io.sightline.model.Face;
import io.sightline.model.Point;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The ABI's face record: 15 little-endian f32, x1 y1 x2 y2 score, then five landmarks as x y. */
final class FaceRecords {

    static final int FLOATS = 5 + 2 * Face.LANDMARKS;
    static final int BYTES = FLOATS * Float.BYTES;

    private FaceRecords() {}

    static byte[] encode(Face face) {
        ByteBuffer record = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        BoundingBox box = face.box();
        record.putFloat(box.x1()).putFloat(box.y1()).putFloat(box.x2()).putFloat(box.y2()).putFloat(face.score());
        for (Point landmark : face.landmarks()) {
            record.putFloat(landmark.x()).putFloat(landmark.y());
        }
        return record.array();
    }

    static List<Face> decode(byte[] bytes, int count) {
        ByteBuffer records = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Face> faces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            faces.add(decodeOne(records, i));
        }
        return faces;
    }

    private static Face decodeOne(ByteBuffer records, int index) {
        float[] v = new float[FLOATS];
        for (int k = 0; k < FLOATS; k++) {
            v[k] = records.getFloat();
            if (!Float.isFinite(v[k])) {
                throw new UdfAbiException("face record " + index + " has a non-finite value at float " + k);
            }
        }
        if (v[2] < v[0] || v[3] < v[1]) {
            throw new UdfAbiException("face record " + index + " has box corners out of order: "
                    + v[0] + "," + v[1] + " " + v[2] + "," + v[3]);
        }
        List<Point> landmarks = new ArrayList<>(Face.LANDMARKS);
        for (int k = 5; k < FLOATS; k += 2) {
            landmarks.add(new Point(v[k], v[k + 1]));
        }
        return new Face(new BoundingBox(v[0], v[1], v[2], v[3]), v[4], landmarks);
    }
}
