package io.sightline.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.AnnotatedImageStatus;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
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
import java.util.Collection;
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
            Deserializer<DeadLetter> deadLetters, Deserializer<UdfOutputRecord> outputs) {

        public static Decoders from(SightlineSerdes serdes) {
            return new Decoders(serdes.deserializer(DetectionEvent.class), serdes.deserializer(AnnotatedFrame.class),
                    serdes.deserializer(DeadLetter.class), serdes.deserializer(UdfOutputRecord.class));
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
    private final Map<String, Integer> outputs = new TreeMap<>();
    private final boolean readsOutputs;
    private Instant firstEventAt;
    private Instant lastOutputAt;

    public OutputCollector(String bootstrapServers, Topics topics, Decoders decoders, Path outDir, int maxRecordBytes)
            throws IOException {
        this(bootstrapServers, topics, decoders, outDir, maxRecordBytes, List.of());
    }

    /**
     * @param outputs named outputs to read too: each record of {@code <prefix>.<output>} is written to
     *                OUT/&lt;output&gt;/&lt;camera&gt;/&lt;frame&gt;.json|png|jpg
     */
    public OutputCollector(String bootstrapServers, Topics topics, Decoders decoders, Path outDir, int maxRecordBytes,
            Collection<String> outputs) throws IOException {
        this.topics = topics;
        this.decoders = decoders;
        this.readsOutputs = !outputs.isEmpty();
        this.outDir = outDir;
        Files.createDirectories(outDir.resolve("annotated"));
        this.eventsFile = Files.newBufferedWriter(outDir.resolve("events.jsonl"), StandardCharsets.UTF_8);
        this.deadLettersFile = Files.newBufferedWriter(outDir.resolve("dead-letters.jsonl"), StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * maxRecordBytes);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> read = new ArrayList<>(List.of(topics.detections(), topics.annotated(), topics.deadLetters()));
        outputs.forEach(output -> read.add(topics.output(output)));
        for (String topic : read) {
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
                drainOutputs();
                return true;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                handle(record);
            }
        }
        return false;
    }

    /**
     * How many named-output records a frame makes is the UDF's business, so there is no count to wait for: once every
     * frame is accounted for, what the last frames emitted is read for half a second more.
     */
    private void drainOutputs() throws IOException {
        Instant until = Instant.now().plusMillis(500);
        while (readsOutputs && Instant.now().isBefore(until)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                handle(record);
            }
        }
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
        } else if (!record.topic().equals(topics.deadLetters())) {
            UdfOutputRecord output = decoders.outputs().deserialize(record.topic(), record.headers(), record.value());
            writeOutput(output);
            outputs.merge(output.getOutput(), 1, Integer::sum);
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

    private void writeOutput(UdfOutputRecord output) throws IOException {
        Path dir = outDir.resolve(safeName(output.getOutput())).resolve(safeName(output.getCameraId()));
        Files.createDirectories(dir);
        String suffix = switch (output.getContentType()) {
            case "application/json" -> "json";
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> "bin";
        };
        ByteBuffer payload = output.getPayload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        Files.write(dir.resolve(safeName(output.getFrameId()) + "." + suffix), bytes);
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

    /** Records read per named output, sorted by name. */
    public Map<String, Integer> outputs() {
        return outputs;
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
