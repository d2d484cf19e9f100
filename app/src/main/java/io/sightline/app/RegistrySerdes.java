package io.sightline.app;

import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.ConfluentAvroSerializer;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SerdeType;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.stream.TopologySerdes;
import org.apache.avro.specific.SpecificRecord;

/** Every serializer the launcher needs, all against one schema registry. */
final class RegistrySerdes {

    private final SchemaRegistryClient registry;

    RegistrySerdes(String registryUrls) {
        this.registry = SchemaRegistryClient.forUrls(registryUrls);
    }

    TopologySerdes topology() {
        return new TopologySerdes(decoder(Frame.class), encoder(DetectionEvent.class), encoder(AnnotatedFrame.class),
                encoder(DeadLetter.class));
    }

    ConfluentAvroSerializer<Frame> frameSerializer() {
        return encoder(Frame.class);
    }

    ConfluentAvroSerializer<DeadLetter> deadLetterSerializer() {
        return encoder(DeadLetter.class);
    }

    OutputCollector.Decoders outputDecoders() {
        return new OutputCollector.Decoders(decoder(DetectionEvent.class), decoder(AnnotatedFrame.class),
                decoder(DeadLetter.class));
    }

    private <T extends SpecificRecord> ConfluentAvroSerializer<T> encoder(Class<T> type) {
        return new ConfluentAvroSerializer<>(registry, type, SerdeType.VALUE);
    }

    private <T extends SpecificRecord> ConfluentAvroDeserializer<T> decoder(Class<T> type) {
        return new ConfluentAvroDeserializer<>(registry, type);
    }
}
