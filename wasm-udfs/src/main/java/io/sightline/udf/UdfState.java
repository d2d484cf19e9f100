package io.sightline.udf;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-key state a UDF reads and writes through the {@code state_*} host functions. The caller scopes it: the
 * stream processor hands each frame the state of its camera (a changelogged Kafka Streams store, so it survives
 * failover); tools that run without a broker use {@link #inMemory()}. Keys are the guest's own; values are opaque
 * bytes.
 */
public interface UdfState {

    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    void delete(String key);

    /** State kept in this object only: for {@code udf test}, {@code detect} and unit tests. Not thread-safe. */
    static UdfState inMemory() {
        Map<String, byte[]> values = new HashMap<>();
        return new UdfState() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.ofNullable(values.get(key)).map(byte[]::clone);
            }

            @Override
            public void put(String key, byte[] value) {
                values.put(key, value.clone());
            }

            @Override
            public void delete(String key) {
                values.remove(key);
            }
        };
    }
}
