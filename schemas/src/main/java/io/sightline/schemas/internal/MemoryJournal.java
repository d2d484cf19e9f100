package io.sightline.schemas.internal;

import java.util.function.Function;

/** No journal: changes live as long as the process. For tests and throwaway registries. */
public final class MemoryJournal implements Journal {
    private final SchemaStore store;

    public MemoryJournal(SchemaStore store) {
        this.store = store;
    }

    @Override
    public void refresh() {
        // Nobody else writes to this store.
    }

    @Override
    public synchronized <T> T write(Function<SchemaStore, Planned<T>> plan) {
        Planned<T> planned = plan.apply(store);
        planned.entries().forEach(store::apply);
        return planned.answer();
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
