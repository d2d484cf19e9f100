package io.sightline.stream;

import io.sightline.udf.UdfState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One pipeline stage's state for one camera, as a view over the processor's changelogged store: the guest's key
 * {@code k} is stored as {@code <pipeline>/<udf>/<camera>/k}. Pipeline and UDF names cannot hold a slash; the camera
 * id is URL-encoded so that no camera's keys can reach into another's.
 */
final class StoreUdfState implements UdfState {

    static final String STORE = "udf-state";

    private final KeyValueStore<String, byte[]> store;
    private final String prefix;

    StoreUdfState(KeyValueStore<String, byte[]> store, String pipeline, String udf, String cameraId) {
        this.store = store;
        this.prefix = prefix(pipeline, udf, cameraId);
    }

    static String prefix(String pipeline, String udf, String cameraId) {
        return pipeline + "/" + udf + "/" + URLEncoder.encode(cameraId, StandardCharsets.UTF_8) + "/";
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(store.get(prefix + key));
    }

    @Override
    public void put(String key, byte[] value) {
        store.put(prefix + key, value.clone());
    }

    @Override
    public void delete(String key) {
        store.delete(prefix + key);
    }
}
