package io.sightline.schemas.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of an in-memory record that refuses lengths and counts larger than the bytes left.
 *
 * <p>Avro allocates a string, bytes or array buffer from the length prefix before reading it, so one corrupt
 * varint in a Kafka record could allocate gigabytes and take the consumer down with an OutOfMemoryError. In a
 * valid record every string or bytes length fits in what remains, and so does every array or map block count,
 * because each entry takes at least one byte — except for item types that encode to nothing (null, empty records),
 * which no sane record schema holds in an array.
 */
public final class BoundedBinaryDecoder extends Decoder {
    private final BinaryDecoder in;

    public BoundedBinaryDecoder(byte[] data, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(data, offset, length, null);
    }

    /** True when every byte has been consumed. */
    public boolean isEnd() throws IOException {
        return in.isEnd();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = boundedLength(in.readLong(), "string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(boundedLength(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = boundedLength(in.readLong(), "bytes");
        ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.arrayOffset(), length);
        return result.limit(length);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(boundedLength(in.readLong(), "bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return boundedCount(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return boundedCount(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return boundedCount(in.skipArray(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return boundedCount(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return boundedCount(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return boundedCount(in.skipMap(), "map");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    private int boundedLength(long length, String what) throws IOException {
        int remaining = in.inputStream().available();
        if (length < 0 || length > remaining) {
            throw new EOFException(what + " length " + length + " exceeds the " + remaining + " bytes left");
        }
        return (int) length;
    }

    private long boundedCount(long count, String what) throws IOException {
        int remaining = in.inputStream().available();
        if (count > remaining) {
            throw new EOFException(what + " block of " + count + " entries exceeds the " + remaining + " bytes left");
        }
        return count;
    }
}
