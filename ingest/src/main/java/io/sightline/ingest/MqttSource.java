package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.avro.CameraReadings;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.Reading;
import io.sightline.schemas.avro.SourceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera frames and sensor readings from an MQTT broker. A message whose payload is a JPEG or PNG becomes a frame
 * (arrival time as capture time); a JSON object becomes readings: every number (or {@code {"value": n, "unit": u}},
 * or boolean as 1/0) is one reading named by its key, taken at {@code "at"} (ISO-8601 or epoch milliseconds) when
 * given, else on arrival. Readings go onto the same camera's frame nearest in time within the attach window, or
 * are published on their own ({@link ReadingsAttacher}). Anything else is rejected. Paho reconnects by itself when
 * the broker goes away; a broker not there at start is retried with backoff.
 */
public final class MqttSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TICK = Duration.ofMillis(100);
    private static final DateTimeFormatter FRAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final MqttSourceConfig config;
    private final Clock clock;
    private final ImageProbe probe;
    private final int cameraLevel;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, Instant> lastFrameAt = new HashMap<>();
    private final Map<DeadLetterReason, Long> rejected = new EnumMap<>(DeadLetterReason.class);
    private ReadingsAttacher attacher;
    private FrameSink sink;
    private long frames;
    private long skippedOverFps;
    private long sequence;
    private final java.util.concurrent.atomic.AtomicLong unsent = new java.util.concurrent.atomic.AtomicLong();
    private volatile long reconnects;
    private volatile boolean connected;

    public MqttSource(MqttSourceConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.probe = new ImageProbe(config.limits().maxPixels());
        this.cameraLevel = MqttSourceConfig.cameraLevel(config.topicFilter());
    }

    /**
     * Subscribes and publishes until {@link #close()}, the frame limit or the duration.
     *
     * @param frames    where frames go, readings attached; rejected messages go to its {@link FrameSink#rejected}
     * @param alone     where readings without a frame go
     * @param maxFrames stop after this many frames; 0 for no limit
     */
    public MqttReport run(FrameSink frames, Consumer<CameraReadings> alone, long maxFrames,
            Optional<Duration> duration) throws InterruptedException {
        synchronized (this) {
            this.sink = frames;
            this.attacher = new ReadingsAttacher(config.attachWindow(), this::publish, alone);
        }
        long started = System.nanoTime();
        Backoff backoff = new Backoff(MjpegSourceConfig.FIRST_BACKOFF, MjpegSourceConfig.MAX_BACKOFF);
        MqttClient client = null;
        try {
            while (client == null && stopped.getCount() > 0) {
                try {
                    client = connect();
                } catch (MqttException e) {
                    Duration pause = backoff.next();
                    log.info("MQTT broker {} not reachable ({}); next attempt in {} ms", config.pahoUrl(), e,
                            pause.toMillis());
                    stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            while (stopped.getCount() > 0 && (maxFrames == 0 || framesSoFar() < maxFrames)
                    && (duration.isEmpty() || System.nanoTime() - started < duration.get().toNanos())) {
                stopped.await(TICK.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (this) {
                    attacher.tick(clock.instant());
                }
            }
        } finally {
            if (client != null) {
                disconnect(client);
            }
            synchronized (this) {
                attacher.flush();
            }
        }
        return report();
    }

    /** Ends {@link #run} from another thread (Ctrl-C); what is held is still published. */
    @Override
    public void close() {
        stopped.countDown();
    }

    public synchronized MqttReport report() {
        return new MqttReport(frames, attacher == null ? 0 : attacher.attached(),
                attacher == null ? 0 : attacher.publishedAlone(), skippedOverFps, unsent.get(), rejected, reconnects,
                connected);
    }

    private synchronized long framesSoFar() {
        return frames;
    }

    private MqttClient connect() throws MqttException {
        var client = new MqttClient(config.pahoUrl(), "sightline-" + UUID.randomUUID(), new MemoryPersistence());
        var options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        options.setMaxReconnectDelay((int) MjpegSourceConfig.MAX_BACKOFF.toMillis());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                connected = true;
                if (reconnect) {
                    reconnects++;
                    subscribe(client); // a clean session forgets the subscription
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                connected = false;
                log.warn("lost the MQTT broker {} ({}); reconnecting", config.pahoUrl(), cause.toString());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    handle(topic, message.getPayload());
                } catch (RuntimeException e) { // thrown to Paho it would drop the connection
                    long failures = unsent.incrementAndGet();
                    if (failures == 1 || failures % 60 == 0) {
                        log.warn("{} message(s) from {} not published so far: {}", failures, topic, e.toString());
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // we do not publish
            }
        });
        client.connect(options);
        connected = true;
        subscribe(client);
        return client;
    }

    private void subscribe(MqttClient client) {
        try {
            client.subscribe(config.topicFilter(), 1);
        } catch (MqttException e) {
            log.warn("subscribing to {} on {} failed: {}", config.topicFilter(), config.pahoUrl(), e.toString());
        }
    }

    private static void disconnect(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.info("closing the MQTT connection: {}", e.toString());
        }
    }

    /** On Paho's thread. */
    synchronized void handle(String topic, byte[] payload) {
        Instant arrived = clock.instant();
        String camera = config.cameraId().orElseGet(() -> cameraOf(topic));
        long seq = sequence++;
        String frameId = FRAME_TIME.format(arrived) + "-" + seq;
        String origin = "MQTT " + topic + " message " + seq;
        try {
            DirectorySourceConfig.requireValidCameraId(camera);
            if (!config.limits().fitsPayload(payload.length)) {
                throw RejectedImageException.tooLarge(payload.length + " bytes", config.limits());
            }
            if (payload.length > 0 && payload[0] == '{') {
                List<Reading> readings = readings(payload, arrived);
                attacher.readings(new ReadingsAttacher.Message(camera, readings.get(0).getAt(), readings,
                        source(topic)));
            } else {
                frame(camera, frameId, seq, topic, payload, arrived);
            }
        } catch (RejectedImageException e) {
            rejected.merge(e.reason(), 1L, Long::sum);
            sink.rejected(camera, frameId, origin, payload, e);
        } catch (IllegalArgumentException e) {
            rejected.merge(DeadLetterReason.UNSUPPORTED_FORMAT, 1L, Long::sum);
            sink.rejected(camera.isEmpty() ? "unknown" : camera, frameId, origin, payload,
                    new RejectedImageException(DeadLetterReason.UNSUPPORTED_FORMAT, e.getMessage()));
        }
    }

    private void frame(String camera, String frameId, long seq, String topic, byte[] payload, Instant arrived)
            throws RejectedImageException {
        ImageHeader header = probe.probe(payload);
        Instant last = lastFrameAt.get(camera);
        if (config.fps() > 0 && last != null
                && Duration.between(last, arrived).toNanos() < (long) (TimeUnit.SECONDS.toNanos(1) / config.fps())) {
            skippedOverFps++;
            return;
        }
        lastFrameAt.put(camera, arrived);
        attacher.frame(Frame.newBuilder()
                .setCameraId(camera)
                .setFrameId(frameId)
                .setCapturedAt(arrived)
                .setEncoding(header.encoding())
                .setWidth(header.width())
                .setHeight(header.height())
                .setPayload(ByteBuffer.wrap(payload))
                .setSource(SourceInfo.newBuilder().setKind("mqtt").setUri(source(topic)).setSequence(seq).build())
                .build());
    }

    private void publish(Frame frame) {
        sink.frame(frame);
        frames++;
    }

    private String cameraOf(String topic) {
        String[] levels = topic.split("/", -1);
        return cameraLevel < levels.length ? levels[cameraLevel] : "";
    }

    private String source(String topic) {
        return config.pahoUrl() + "/" + topic;
    }

    /** The readings of a JSON message; at least one, or the message is rejected. */
    static List<Reading> readings(byte[] payload, Instant arrived) throws RejectedImageException {
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            throw new RejectedImageException(DeadLetterReason.UNSUPPORTED_FORMAT, "neither an image nor JSON "
                    + "readings: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (json == null || !json.isObject()) {
            throw new RejectedImageException(DeadLetterReason.UNSUPPORTED_FORMAT, "JSON readings must be an object");
        }
        Instant at = json.has("at") ? time(json.get("at")) : arrived;
        List<Reading> readings = new ArrayList<>();
        json.fields().forEachRemaining(field -> {
            JsonNode v = field.getValue();
            if (field.getKey().equals("at")) {
                return;
            }
            Reading.Builder reading = Reading.newBuilder().setName(field.getKey()).setAt(at);
            if (v.isNumber()) {
                readings.add(reading.setValue(v.asDouble()).build());
            } else if (v.isBoolean()) {
                readings.add(reading.setValue(v.asBoolean() ? 1 : 0).build());
            } else if (v.isObject() && v.path("value").isNumber()) {
                readings.add(reading.setValue(v.get("value").asDouble())
                        .setUnit(v.path("unit").isTextual() ? v.get("unit").asText() : null).build());
            }
        });
        if (readings.isEmpty()) {
            throw new RejectedImageException(DeadLetterReason.UNSUPPORTED_FORMAT, "JSON without numeric readings");
        }
        return readings;
    }

    private static Instant time(JsonNode at) throws RejectedImageException {
        if (at.isIntegralNumber()) {
            return Instant.ofEpochMilli(at.asLong());
        }
        try {
            return Instant.parse(at.asText());
        } catch (DateTimeParseException e) {
            throw new RejectedImageException(DeadLetterReason.UNSUPPORTED_FORMAT, "\"at\" must be ISO-8601 or "
                    + "epoch milliseconds, got " + at);
        }
    }
}
