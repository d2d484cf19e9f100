package io.sightline.udf.internal;

import io.sightline.udf.UdfState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * State writes held back until the frame succeeds: reads see them, {@link #commit()} applies them to the state
 * underneath, and dropping the buffer forgets them, so a failed (retried, dead-lettered) frame leaves state as it was.
 */
public final class BufferedState implements UdfState {

    private final UdfState underlying;
    /** Key to new value; an empty value is a delete. */
    private final Map<String, Optional<byte[]>> pending = new LinkedHashMap<>();

    public BufferedState(UdfState underlying) {
        this.underlying = underlying;
    }

    @Override
    public Optional<byte[]> get(String key) {
        Optional<byte[]> written = pending.get(key);
        if (written != null) {
            return written.map(byte[]::clone);
        }
        return underlying.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        pending.put(key, Optional.of(value.clone()));
    }

    @Override
    public void delete(String key) {
        pending.put(key, Optional.empty());
    }

    public void commit() {
        pending.forEach((key, value) -> {
            if (value.isPresent()) {
                underlying.put(key, value.get());
            } else {
                underlying.delete(key);
            }
        });
        pending.clear();
    }
}
