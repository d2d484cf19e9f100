package io.sightline.bench;

import io.sightline.ingest.KafkaFrameSink;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.SourceInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Sends frames through ingest's producer with the send time as capture time, optionally paced. */
final class BenchPublisher {
    private final KafkaFrameSink sink;
    private final List<PipelineBench.Input> inputs;
    private final List<String> cameras;

    BenchPublisher(KafkaFrameSink sink, List<PipelineBench.Input> inputs, List<String> cameras) {
        this.sink = sink;
        this.inputs = inputs;
        this.cameras = cameras;
    }

    /**
     * Publishes on another thread while the collector reads the outputs on this one, so an output is seen when a
     * consumer could first see it. Returns whether {@code expectedOutputs} frames were accounted for in time.
     */
    boolean publishWhileCollecting(String phase, int count, double framesPerSecond, OutputCollector collector,
            int expectedOutputs, Duration timeout) throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<?> sending = sender.submit(() -> {
                publish(phase, count, framesPerSecond);
                return null;
            });
            boolean complete = collector.collect(expectedOutputs, timeout);
            sending.get();
            return complete;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            sender.shutdownNow();
        }
    }

    /** @param framesPerSecond 0 sends as fast as the producer takes them */
    private void publish(String phase, int count, double framesPerSecond) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (framesPerSecond > 0) {
                long due = start + (long) (i * 1e9 / framesPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            sink.frame(frame(phase, i));
        }
        sink.flush();
    }

    private Frame frame(String phase, int i) {
        PipelineBench.Input input = inputs.get(i % inputs.size());
        return Frame.newBuilder()
                .setCameraId(cameras.get(i % cameras.size()))
                .setFrameId(String.format(Locale.ROOT, "%s-%05d", phase, i))
                .setCapturedAt(Instant.now())
                .setEncoding(input.header().encoding())
                .setWidth(input.header().width())
                .setHeight(input.header().height())
                .setPayload(ByteBuffer.wrap(input.bytes()))
                .setSource(SourceInfo.newBuilder().setKind("bench").setUri(input.name()).setSequence(i).build())
                .build();
    }
}
