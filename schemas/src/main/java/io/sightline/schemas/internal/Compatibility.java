package io.sightline.schemas.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Avro's own reader/writer compatibility rules ({@link SchemaCompatibility}), applied per Confluent level. */
final class Compatibility {

    private Compatibility() {
    }

    /**
     * What breaks if {@code candidate} follows the subject's live versions ({@code earlier}, oldest first) at this
     * level: checked against the latest version, or every version for a transitive level. Empty when compatible.
     */
    static List<String> problems(CompatibilityLevel level, String candidate, List<SchemaStore.SubjectVersion> earlier) {
        if (earlier.isEmpty()) {
            return List.of();
        }
        List<SchemaStore.SubjectVersion> targets = level.transitive ? earlier : earlier.subList(earlier.size() - 1,
                earlier.size());
        return problemsAgainst(level, candidate, targets);
    }

    /** What breaks between {@code candidate} and each of the given versions, in this level's directions. */
    static List<String> problemsAgainst(CompatibilityLevel level, String candidate,
                                        List<SchemaStore.SubjectVersion> targets) {
        Schema next = new Schema.Parser().parse(candidate);
        List<String> problems = new ArrayList<>();
        for (SchemaStore.SubjectVersion target : targets) {
            Schema previous = new Schema.Parser().parse(target.schema());
            if (level.newReadsOld) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(next, previous),
                        "the new schema cannot read data written with version " + target.version(), problems);
            }
            if (level.oldReadsNew) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, next),
                        "readers using version " + target.version() + " cannot read data written with the new schema",
                        problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility pair, String what, List<String> problems) {
        if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            problems.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
