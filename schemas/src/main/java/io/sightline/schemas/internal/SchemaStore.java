package io.sightline.schemas.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state: schemas under global ids, shared by every subject that registers an identical schema, each
 * subject's versions, and compatibility levels. It changes only by {@link #apply applying} journal entries, so the
 * same entries (from the {@code _schemas} topic, in order) always rebuild the same state. Held in memory behind one
 * lock. Schemas are compared by their canonical text, which the caller produces. Unknown subjects, versions and ids
 * throw {@link RegistryRequestException}.
 */
public final class SchemaStore {
    /** One version of a subject. */
    public record SubjectVersion(String subject, int version, int id, String schema) {
    }

    /** What registering a schema comes to: its id, and the entry to journal unless the subject already held it. */
    public record Registration(int id, Optional<SchemasRecord> entry) {
    }

    private record VersionEntry(int id, boolean deleted) {
    }

    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    /** Every version ever journaled per subject, soft-deleted ones included (they keep their number taken). */
    private final Map<String, NavigableMap<Integer, VersionEntry>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int highestId;

    /** Applies one journal entry; entries from any Confluent-layout registry are accepted as they come. */
    public synchronized void apply(SchemasRecord record) {
        if (record instanceof SchemasRecord.SchemaVersion v) {
            schemasById.putIfAbsent(v.id(), v.schema());
            idsBySchema.putIfAbsent(v.schema(), v.id());
            highestId = Math.max(highestId, v.id());
            versionsOf(v.subject()).put(v.version(), new VersionEntry(v.id(), v.deleted()));
        } else if (record instanceof SchemasRecord.SchemaVersionRemoved v) {
            versionsOf(v.subject()).remove(v.version());
        } else if (record instanceof SchemasRecord.Config c) {
            if (c.subject() == null) {
                globalLevel = c.level();
            } else if (c.level() == null) {
                subjectLevels.remove(c.subject());
            } else {
                subjectLevels.put(c.subject(), c.level());
            }
        } else if (record instanceof SchemasRecord.SubjectDeleted d) {
            versionsOf(d.subject()).replaceAll((version, entry) ->
                    version <= d.version() ? new VersionEntry(entry.id(), true) : entry);
        }
    }

    /**
     * Plans registering the schema under the subject: the version already holding it, or a new version (with the
     * schema's existing id, or the next free one) once the subject's compatibility level allows it.
     *
     * @throws RegistryRequestException 409 if the schema is incompatible with earlier versions
     */
    public synchronized Registration planRegistration(String subject, String canonicalSchema) {
        List<SubjectVersion> live = liveVersions(subject);
        for (SubjectVersion version : live) {
            if (version.schema().equals(canonicalSchema)) {
                return new Registration(version.id(), Optional.empty());
            }
        }
        CompatibilityLevel level = effectiveLevel(subject);
        List<String> problems = Compatibility.problems(level, canonicalSchema, live);
        if (!problems.isEmpty()) {
            throw RegistryRequestException.incompatible(subject, level, problems);
        }
        int id = idsBySchema.getOrDefault(canonicalSchema, highestId + 1);
        NavigableMap<Integer, VersionEntry> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        return new Registration(id, Optional.of(
                new SchemasRecord.SchemaVersion(subject, version, id, canonicalSchema, false)));
    }

    /** What keeps the schema from being registered after the given version (or the latest, for null); empty if nothing. */
    public synchronized List<String> compatibilityProblems(String subject, Integer version, String canonicalSchema) {
        CompatibilityLevel level = effectiveLevel(subject);
        if (version == null) {
            return Compatibility.problems(level, canonicalSchema, requireLive(subject));
        }
        return Compatibility.problemsAgainst(level, canonicalSchema, List.of(version(subject, version)));
    }

    public synchronized String schema(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryRequestException.schemaNotFound("Schema " + id);
        }
        return schema;
    }

    /** Every live subject version that uses the schema with this id. */
    public synchronized List<SubjectVersion> usesOf(int id) {
        schema(id);
        List<SubjectVersion> uses = new ArrayList<>();
        subjects.keySet().forEach(subject -> liveVersions(subject).stream()
                .filter(version -> version.id() == id)
                .forEach(uses::add));
        return uses;
    }

    /** Subjects with at least one live version, in name order. */
    public synchronized List<String> subjects() {
        return subjects.keySet().stream().filter(subject -> !liveVersions(subject).isEmpty()).toList();
    }

    public synchronized List<Integer> versions(String subject) {
        return requireLive(subject).stream().map(SubjectVersion::version).toList();
    }

    public synchronized SubjectVersion version(String subject, int version) {
        return requireLive(subject).stream()
                .filter(candidate -> candidate.version() == version)
                .findFirst()
                .orElseThrow(() -> RegistryRequestException.versionNotFound(subject, version));
    }

    public synchronized SubjectVersion latest(String subject) {
        List<SubjectVersion> live = requireLive(subject);
        return live.get(live.size() - 1);
    }

    /** The subject's version holding exactly this schema. */
    public synchronized SubjectVersion find(String subject, String canonicalSchema) {
        return requireLive(subject).stream()
                .filter(version -> version.schema().equals(canonicalSchema))
                .findFirst()
                .orElseThrow(() -> RegistryRequestException.schemaNotFound("Schema in subject '" + subject + "'"));
    }

    public synchronized CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }

    /** The level set on the subject itself, if any. */
    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    public synchronized int schemaCount() {
        return schemasById.size();
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElseGet(this::globalLevel);
    }

    private NavigableMap<Integer, VersionEntry> versionsOf(String subject) {
        return subjects.computeIfAbsent(subject, s -> new TreeMap<>());
    }

    private List<SubjectVersion> requireLive(String subject) {
        List<SubjectVersion> live = liveVersions(subject);
        if (live.isEmpty()) {
            throw RegistryRequestException.subjectNotFound(subject);
        }
        return live;
    }

    /** The subject's versions that are not deleted, oldest first. */
    private List<SubjectVersion> liveVersions(String subject) {
        NavigableMap<Integer, VersionEntry> versions = subjects.getOrDefault(subject, new TreeMap<>());
        List<SubjectVersion> live = new ArrayList<>();
        versions.forEach((version, entry) -> {
            if (!entry.deleted()) {
                live.add(new SubjectVersion(subject, version, entry.id(), schemasById.get(entry.id())));
            }
        });
        return live;
    }
}
