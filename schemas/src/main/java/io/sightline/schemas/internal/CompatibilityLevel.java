package io.sightline.schemas.internal;

import java.util.Locale;

/** Confluent's compatibility levels: which earlier versions of a subject a new schema is checked against, and how. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's global default, and ours. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    /** The new schema must read data written with the earlier ones. */
    final boolean newReadsOld;
    /** Data written with the new schema must be readable with the earlier ones. */
    final boolean oldReadsNew;
    /** Against every earlier version, not just the latest. */
    final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Parses a level as Confluent spells it (case-insensitive); unknown names answer 422 42203. */
    public static CompatibilityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RegistryRequestException.invalidCompatibilityLevel(name);
        }
    }
}
