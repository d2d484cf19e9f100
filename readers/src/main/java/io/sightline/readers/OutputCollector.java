package io.sightline.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.AnnotatedImageStatus;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the output topics like any downstream consumer (Confluent wire format through the registry) and writes
 * them to a folder: annotated/&lt;camera&gt;/&lt;frame&gt;.png (or .jpg), events.jsonl and dead-letters.jsonl.
 */
public final class OutputCollector implements AutoCloseable {

    /** An event and when this consumer saw it: what a downstream consumer's latency is measured from. */
    public record SeenEvent(DetectionEvent event, Instant seenAt) {}

    public record Decoders(Deserializer<DetectionEvent> events, Deserializer<AnnotatedFrame> annotated,
            Deserializer<DeadLetter> deadLetters) {

        public static Decoders from(SightlineSerdes serdes) {
            return new Decoders(serdes.deserializer(DetectionEvent.class), serdes.deserializer(AnnotatedFrame.class),
                    serdes.deserializer(DeadLetter.class));
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Decoders decoders;
    private final Path outDir;
    private final BufferedWriter eventsFile;
    private final BufferedWriter deadLettersFile;
    private final ObjectMapper json = new ObjectMapper();

    private int events;
    private int faces;
    private int annotated;
    private int annotatedExpected;
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<SeenEvent> seenEvents = new ArrayList<>();
    private Instant firstEventAt;
    private Instant lastOutputAt;

    public OutputCollector(String bootstrapServers, Topics topics, Decoders decoders, Path outDir, int maxRecordBytes)
            throws IOException {
        this.topics = topics;
        this.decoders = decoders;
        this.outDir = outDir;
        Files.createDirectories(outDir.resolve("annotated"));
        this.eventsFile = Files.newBufferedWriter(outDir.resolve("events.jsonl"), StandardCharsets.UTF_8);
        this.deadLettersFile = Files.newBufferedWriter(outDir.resolve("dead-letters.jsonl"), StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * maxRecordBytes);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.detections(), topics.annotated(), topics.deadLetters())) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until {@code expected} frames are accounted for (each as an event or a dead letter) and every event's
     * annotated frame (unless the event says it was omitted) arrived, or the timeout passes. Returns whether everything arrived.
     */
    public boolean collect(int expected, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (events + deadLetters.size() >= expected && annotated >= annotatedExpected) {
                return true;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                handle(record);
            }
        }
        return false;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws IOException {
        lastOutputAt = Instant.now();
        if (record.topic().equals(topics.detections())) {
            DetectionEvent event = decoders.events().deserialize(record.topic(), record.headers(), record.value());
            events++;
            faces += event.getFaces().size();
            seenEvents.add(new SeenEvent(event, lastOutputAt));
            AnnotatedImageStatus image = event.getAnnotated();
            if (image == AnnotatedImageStatus.FULL || image == AnnotatedImageStatus.REDUCED) {
                annotatedExpected++;
            }
            if (firstEventAt == null) {
                firstEventAt = lastOutputAt;
            }
            appendLine(eventsFile, json.writeValueAsString(AvroJson.toJson(event)));
        } else if (record.topic().equals(topics.annotated())) {
            AnnotatedFrame frame = decoders.annotated().deserialize(record.topic(), record.headers(), record.value());
            writeImage(frame);
            annotated++;
        } else {
            DeadLetter letter = decoders.deadLetters().deserialize(record.topic(), record.headers(), record.value());
            deadLetters.add(letter);
            appendLine(deadLettersFile, json.writeValueAsString(AvroJson.toJson(letter)));
        }
    }

    private void writeImage(AnnotatedFrame frame) throws IOException {
        Path dir = outDir.resolve("annotated").resolve(safeName(frame.getCameraId()));
        Files.createDirectories(dir);
        Path file = dir.resolve(safeName(frame.getFrameId()) + "." + fileSuffix(frame.getEncoding().name()));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer image = frame.getImage().duplicate();
            while (image.hasRemaining()) {
                out.write(image);
            }
        }
    }

    /** png, or jpg for a JPEG (an annotated image too large as PNG is sent as JPEG). */
    public static String fileSuffix(String encoding) {
        return encoding.equals("JPEG") ? "jpg" : encoding.toLowerCase(Locale.ROOT);
    }

    /** Camera and frame ids come from the data: keep them from escaping the output folder. */
    private static String safeName(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }

    private static void appendLine(BufferedWriter writer, String line) throws IOException {
        writer.write(line);
        writer.newLine();
        writer.flush();
    }

    public int events() {
        return events;
    }

    public int faces() {
        return faces;
    }

    public int annotated() {
        return annotated;
    }

    /** Every event read so far, in the order it was read. */
    public List<SeenEvent> seenEvents() {
        return seenEvents;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Dead letters per reason code, sorted by code. */
    public Map<String, Integer> deadLettersByReason() {
        Map<String, Integer> counts = new TreeMap<>();
        deadLetters.forEach(d -> counts.merge(d.getReasonCode(), 1, Integer::sum));
        return counts;
    }

    public Instant firstEventAt() {
        return firstEventAt;
    }

    public Instant lastOutputAt() {
        return lastOutputAt;
    }

    @Override
    public void close() throws IOException {
        consumer.close();
        eventsFile.close();
        deadLettersFile.close();
    }
}
