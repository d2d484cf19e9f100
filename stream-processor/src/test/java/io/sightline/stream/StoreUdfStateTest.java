package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** A stage's state is its own: per pipeline, UDF and camera, whatever characters the camera id and key hold. */
class StoreUdfStateTest {

    @Test
    void keepsEachPipelineUdfAndCameraApartAndStoresUnderAReadablePrefix() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("state"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        var doorAlerts = new StoreUdfState(store, "default", "crowd-alert", "door");
        var slashCamera = new StoreUdfState(store, "default", "crowd-alert", "a/b");
        var plainCamera = new StoreUdfState(store, "default", "crowd-alert", "a");
        var otherPipeline = new StoreUdfState(store, "entrance", "crowd-alert", "door");
        var otherUdf = new StoreUdfState(store, "default", "frame-sampler", "door");

        doorAlerts.put("run", bytes("3"));
        slashCamera.put("c", bytes("camera a/b"));
        plainCamera.put("b/c", bytes("camera a"));

        assertThat(doorAlerts.get("run")).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("3"));
        assertThat(otherPipeline.get("run")).isEmpty();
        assertThat(otherUdf.get("run")).isEmpty();
        assertThat(slashCamera.get("c")).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("camera a/b"));
        assertThat(plainCamera.get("b/c")).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("camera a"));
        assertThat(store.get("default/crowd-alert/door/run")).isEqualTo(bytes("3"));
        assertThat(store.get("default/crowd-alert/a%2Fb/c")).isEqualTo(bytes("camera a/b"));

        doorAlerts.delete("run");
        assertThat(doorAlerts.get("run")).isEmpty();
        assertThat(store.approximateNumEntries()).isEqualTo(2);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
