package io.sightline.schemas.internal;

import java.util.List;
import java.util.function.Function;

/** Where the registry's changes are recorded, and from where its {@link SchemaStore} is kept up to date. */
public interface Journal extends AutoCloseable {

    /** The answer to a write request and the entries that record it (none when nothing changes). */
    record Planned<T>(T answer, List<SchemasRecord> entries) {
    }

    /** Applies entries other registry instances journaled since the last call. */
    void refresh();

    /**
     * Plans a change against the up-to-date store, records its entries as the only writer and applies them.
     * The plan may run more than once (when another instance wrote in between) and may throw to refuse.
     */
    <T> T write(Function<SchemaStore, Planned<T>> plan);

    @Override
    void close();
}
