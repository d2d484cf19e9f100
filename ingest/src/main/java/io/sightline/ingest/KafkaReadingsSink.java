package io.sightline.ingest;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.CameraReadings;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends readings that found no frame to the readings topic, keyed by camera; the readings carry their own times. */
public final class KafkaReadingsSink implements Consumer<CameraReadings>, AutoCloseable {

    private final KafkaProducer<String, CameraReadings> producer;
    private final String topic;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public KafkaReadingsSink(String bootstrapServers, SightlineSerdes serdes, String topic) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), serdes.serializer(CameraReadings.class));
        this.topic = topic;
    }

    @Override
    public void accept(CameraReadings readings) {
        // Stamped at write time, like frames (WriteTime): a sensor's clock is no more to be trusted than a camera's.
        producer.send(new ProducerRecord<>(topic, readings.getCameraId(), readings), (m, e) -> {
            if (e != null) {
                firstFailure.compareAndSet(null, e);
            }
        });
    }

    /** Waits until everything sent is acknowledged; throws if any send failed. */
    public void flush() {
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaException("publishing readings failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
