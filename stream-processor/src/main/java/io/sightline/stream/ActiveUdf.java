package io.sightline.stream;

import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfRuntime;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The UDF the stream runs now, switchable while it runs. Each {@link FrameProcessor} looks here before every record
 * and, when a new runtime was published, closes its instance and takes one of the new runtime: the switch happens
 * between records, so no record is skipped or run twice, and offsets are untouched. A replaced runtime is closed once
 * the last instance made from it is released, never under a record still running on it. Owns every runtime handed
 * to it.
 */
public final class ActiveUdf implements AutoCloseable {

    private volatile UdfRuntime current;
    private final Map<UdfRuntime, Integer> users = new IdentityHashMap<>();
    private boolean closed;

    public ActiveUdf(UdfRuntime initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The runtime new records should run on; one volatile read, cheap enough for every record. */
    public UdfRuntime current() {
        return current;
    }

    public UdfInfo info() {
        return current.info();
    }

    /** Publishes a new runtime; processors take it before their next record. */
    public synchronized void switchTo(UdfRuntime next) {
        Objects.requireNonNull(next, "next");
        if (closed) {
            next.close();
            throw new IllegalStateException("ActiveUdf is closed");
        }
        UdfRuntime previous = current;
        current = next;
        if (previous != next && !users.containsKey(previous)) {
            previous.close();
        }
    }

    /** An instance of the current runtime, counted until {@link Lease#close()}. */
    synchronized Lease acquire() {
        UdfRuntime runtime = current;
        UdfInstance instance = runtime.newInstance();
        users.merge(runtime, 1, Integer::sum);
        return new Lease(runtime, instance);
    }

    private synchronized void release(UdfRuntime runtime) {
        Integer left = users.merge(runtime, -1, Integer::sum);
        if (left != null && left == 0) {
            users.remove(runtime);
            if (runtime != current) {
                runtime.close();
            }
        }
    }

    /** Closes the current runtime and any replaced one still in use. */
    @Override
    public synchronized void close() {
        closed = true;
        users.keySet().forEach(UdfRuntime::close);
        users.clear();
        current.close();
    }

    /** One processor's instance of one runtime. */
    final class Lease implements AutoCloseable {

        private final UdfRuntime runtime;
        private final UdfInstance instance;

        private Lease(UdfRuntime runtime, UdfInstance instance) {
            this.runtime = runtime;
            this.instance = instance;
        }

        UdfRuntime runtime() {
            return runtime;
        }

        UdfInstance instance() {
            return instance;
        }

        @Override
        public void close() {
            try {
                instance.close();
            } finally {
                release(runtime);
            }
        }
    }
}
