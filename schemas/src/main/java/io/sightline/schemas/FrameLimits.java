package io.sightline.schemas;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * How big a frame may be, for every stage: ingest, the processor and {@code detect}.
 *
 * @param maxRecordBytes  largest record the topics accept ({@code max.message.bytes}); read from the cluster with
 *                        {@link #fromCluster}, so it is never a constant that disagrees with the broker
 * @param maxPixels       largest width × height accepted at all; larger images are rejected (TOO_LARGE at ingest,
 *                        IMAGE_TOO_LARGE in the processor)
 * @param maxDecodePixels largest width × height decoded at full resolution; larger images are decoded subsampled
 *                        (every n-th pixel) for detection, and boxes are mapped back to original pixels. Bounds the
 *                        memory one frame takes however large the image.
 */
public record FrameLimits(int maxRecordBytes, long maxPixels, long maxDecodePixels) {

    /** Room a record needs besides its image bytes: key, Avro fields, record and batch headers. */
    public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    /** Kafka's own default {@code message.max.bytes} is 1 MiB; the smallest limit a frame pipeline can live with. */
    public static final int MIN_RECORD_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** 100 megapixels: 10000×10000; anything larger is not a camera frame. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /**
     * 4 megapixels: 2400×1600 is detected at full resolution, 4000×3000 and 4800×3305 at every second pixel,
     * 6000×6000 at every third. Bounds one frame's decoded pixels and detector tensors, and so the processor's
     * memory: the demo's peak RSS is ≈ 1.15 GB at this cap and ≈ 1.5 GB at 6 MP (docs/bench.md).
     */
    public static final long DEFAULT_MAX_DECODE_PIXELS = 4_000_000L;

    public FrameLimits {
        if (maxRecordBytes < MIN_RECORD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes must be at least " + MIN_RECORD_BYTES + ", got "
                    + maxRecordBytes);
        }
        if (maxPixels <= 0 || maxDecodePixels <= 0 || maxDecodePixels > maxPixels) {
            throw new IllegalArgumentException("need 0 < maxDecodePixels <= maxPixels, got " + maxDecodePixels
                    + " and " + maxPixels);
        }
    }

    public static FrameLimits defaults() {
        return withMaxRecordBytes(DEFAULT_MAX_RECORD_BYTES);
    }

    public static FrameLimits withMaxRecordBytes(int maxRecordBytes) {
        return new FrameLimits(maxRecordBytes, DEFAULT_MAX_PIXELS, DEFAULT_MAX_DECODE_PIXELS);
    }

    /** Largest image (or other opaque bytes) that still fits in a record with its surrounding fields. */
    public int maxPayloadBytes() {
        return maxRecordBytes - RECORD_OVERHEAD_BYTES;
    }

    public boolean fitsPayload(long bytes) {
        return bytes <= maxPayloadBytes();
    }

    public FrameLimits withRecordBytes(int newMaxRecordBytes) {
        return new FrameLimits(newMaxRecordBytes, maxPixels, maxDecodePixels);
    }

    /**
     * These limits with the record limit the cluster enforces: the smallest {@code max.message.bytes} of the given
     * topics (a topic without its own setting reports the broker's {@code message.max.bytes}).
     */
    public FrameLimits fromCluster(String bootstrapServers, Collection<String> topics) {
        try (Admin admin = Admin.create(KafkaClients.config(bootstrapServers, Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
            return withRecordBytes(smallestMaxMessageBytes(admin, topics));
        }
    }

    static int smallestMaxMessageBytes(Admin admin, Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic limits", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw new IllegalStateException("this principal may not DESCRIBE_CONFIGS of " + topics + " (Kafka ACL): "
                        + "the record limit is read from them at start; ask for that ACL", e.getCause());
            }
            throw new IllegalStateException("cannot read max.message.bytes of " + topics + ": " + e.getMessage()
                    + " (do the topics exist?)", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read max.message.bytes of " + topics + ": " + e.getMessage()
                    + " (do the topics exist?)", e);
        }
        return configs.values().stream()
                .map(config -> config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                .map(ConfigEntry::value)
                .mapToInt(Integer::parseInt)
                .min()
                .orElseThrow(() -> new IllegalArgumentException("no topics given"));
    }
}
