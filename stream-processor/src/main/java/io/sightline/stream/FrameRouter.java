package io.sightline.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first step of every frame, on its camera's partition: a frame whose pipeline keeps no state is numbered in its
 * camera's sequence and spread (any partition, so any stream thread of any instance detects on it); a frame whose
 * pipeline keeps state stays here, where its camera's frames arrive one at a time and in order, and runs in place.
 *
 * <p>Frames are keyed by camera id (ingest does so). A frame without a key, whose camera is not known without
 * decoding it, runs in place. The next number of each camera is kept in a changelogged store, so numbering goes on
 * where it stopped when the partition moves to another instance.
 */
final class FrameRouter implements Processor<byte[], byte[], byte[], byte[]> {

    static final String STORE = "frame-sequence";

    private final PipelineUdfs udfs;
    private final String inPlace;
    private final String spread;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> sequences;

    /**
     * @param inPlace the child that runs a frame on this partition
     * @param spread  the child that sends a frame to any partition
     */
    FrameRouter(PipelineUdfs udfs, String inPlace, String spread) {
        this.udfs = udfs;
        this.inPlace = inPlace;
        this.spread = spread;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.sequences = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            context.forward(record, inPlace);
            return;
        }
        String camera = new String(record.key(), StandardCharsets.UTF_8);
        Pipeline pipeline = udfs.pipelines().forCamera(camera);
        if (udfs.keepsState(pipeline)) {
            context.forward(record, inPlace);
            return;
        }
        byte[] stored = sequences.get(camera);
        long sequence = stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
        sequences.put(camera, ByteBuffer.allocate(Long.BYTES).putLong(sequence + 1).array());
        var read = context.recordMetadata().orElseThrow();
        var origin = new RecordOrigin(read.topic(), read.partition(), read.offset());
        context.forward(record.withHeaders(origin.stamp(record.headers(), sequence)), spread);
    }
}
