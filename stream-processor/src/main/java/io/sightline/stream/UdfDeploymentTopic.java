package io.sightline.stream;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.schemas.avro.UdfSignatureRecord;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfSignature;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted UDF deployments topic as tools write and read it: key = UDF name, value = {@link
 * UdfDeploymentRecord}, a null value (tombstone) = removed. Processors follow it with {@link UdfDeploymentWatcher}.
 */
public final class UdfDeploymentTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final SightlineSerdes serdes;

    public UdfDeploymentTopic(String bootstrapServers, String topic, SightlineSerdes serdes) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.serdes = serdes;
    }

    /** Writes a deployment and waits until the cluster has it. */
    public void deploy(UdfDeploymentRecord deployment, int maxRequestBytes) {
        write(deployment.getName(), deployment, maxRequestBytes);
    }

    /** Writes a tombstone for the name and waits until the cluster has it. */
    public void remove(String name) {
        write(name, null, 1024 * 1024);
    }

    private void write(String name, UdfDeploymentRecord deployment, int maxRequestBytes) {
        var serializer = serdes.serializer(UdfDeploymentRecord.class);
        byte[] value = deployment == null ? null : serializer.serialize(topic, deployment);
        Map<String, Object> config = KafkaClients.config(bootstrapServers, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes));
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, name, value)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Without WRITE on any topic the cluster refuses the idempotent producer itself (cluster authorization).
            if (e.getCause() instanceof TopicAuthorizationException
                    || e.getCause() instanceof ClusterAuthorizationException) {
                throw new IllegalStateException("this principal may not WRITE to topic " + topic + " (Kafka ACL): "
                        + "deploying needs WRITE on it", e.getCause());
            }
            throw new IllegalStateException("could not write to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement from " + topic + " after " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic);
        }
    }

    /** The deployments now in force, by name: the topic read to its end, the last record per name winning. */
    public Map<String, UdfDeploymentRecord> deployments() {
        var deserializer = serdes.deserializer(UdfDeploymentRecord.class);
        Map<String, Object> config = KafkaClients.config(bootstrapServers, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024));
        Map<String, UdfDeploymentRecord> deployments = new TreeMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicFollowers.readToEnd(consumer, topic, TIMEOUT, record -> {
                if (record.value() == null) {
                    deployments.remove(record.key());
                } else {
                    deployments.put(record.key(), deserializer.deserialize(topic, record.value()));
                }
            });
        }
        return deployments;
    }

    /** The deployment a record carries (name, version, module, config); its sha256 is not checked here. */
    public static UdfDeployment deployment(UdfDeploymentRecord record) {
        return new UdfDeployment(record.getName(), record.getVersion(), bytes(record.getModule()),
                record.getConfigJson());
    }

    /** The record's signature, if it has one. */
    public static Optional<UdfSignature> signature(UdfDeploymentRecord record) {
        UdfSignatureRecord signature = record.getSignature();
        if (signature == null) {
            return Optional.empty();
        }
        if (!"Ed25519".equals(signature.getAlgorithm())) {
            throw new IllegalArgumentException("signature algorithm " + signature.getAlgorithm()
                    + " is not supported (Ed25519 only)");
        }
        return Optional.of(new UdfSignature(signature.getSigner(), bytes(signature.getValue())));
    }

    /** The signature as the record field carries it. */
    public static UdfSignatureRecord record(UdfSignature signature) {
        return UdfSignatureRecord.newBuilder().setSigner(signature.signer()).setAlgorithm("Ed25519")
                .setValue(ByteBuffer.wrap(signature.value())).build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
