package io.sightline.schemas.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's state: schemas under global ids, shared by every subject that registers an identical schema, and
 * each subject's versions in order. Held in memory behind one lock (writes are rare). Schemas are compared by
 * their canonical text, which the caller produces. Unknown subjects, versions and ids throw
 * {@link RegistryRequestException}.
 */
public final class SchemaStore {
    /** One version of a subject. */
    public record SubjectVersion(String subject, int version, int id, String schema) {
    }

    /** Schema id n is at index n - 1. */
    private final List<String> schemasById = new ArrayList<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    /** Per subject, the schema id of each version: version n is at index n - 1. */
    private final Map<String, List<Integer>> schemaIdsBySubject = new TreeMap<>();

    /** Adds the schema as the subject's next version, unless the subject already holds it; returns its id. */
    public synchronized int register(String subject, String canonicalSchema) {
        int id = idsBySchema.computeIfAbsent(canonicalSchema, this::newId);
        List<Integer> versions = schemaIdsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    public synchronized String schema(int id) {
        requireKnownId(id);
        return schemasById.get(id - 1);
    }

    /** Every subject version that uses the schema with this id. */
    public synchronized List<SubjectVersion> usesOf(int id) {
        requireKnownId(id);
        List<SubjectVersion> uses = new ArrayList<>();
        schemaIdsBySubject.forEach((subject, ids) -> {
            int index = ids.indexOf(id);
            if (index >= 0) {
                uses.add(subjectVersion(subject, index + 1));
            }
        });
        return uses;
    }

    public synchronized List<String> subjects() {
        return List.copyOf(schemaIdsBySubject.keySet());
    }

    public synchronized List<Integer> versions(String subject) {
        int count = idsOf(subject).size();
        List<Integer> versions = new ArrayList<>(count);
        for (int version = 1; version <= count; version++) {
            versions.add(version);
        }
        return versions;
    }

    public synchronized SubjectVersion version(String subject, int version) {
        if (version < 1 || version > idsOf(subject).size()) {
            throw RegistryRequestException.versionNotFound(subject, version);
        }
        return subjectVersion(subject, version);
    }

    public synchronized SubjectVersion latest(String subject) {
        return subjectVersion(subject, idsOf(subject).size());
    }

    /** The subject's version holding exactly this schema. */
    public synchronized SubjectVersion find(String subject, String canonicalSchema) {
        List<Integer> ids = idsOf(subject);
        Integer id = idsBySchema.get(canonicalSchema);
        int index = id == null ? -1 : ids.indexOf(id);
        if (index < 0) {
            throw RegistryRequestException.schemaNotFound("Schema in subject '" + subject + "'");
        }
        return subjectVersion(subject, index + 1);
    }

    private void requireKnownId(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw RegistryRequestException.schemaNotFound("Schema " + id);
        }
    }

    private List<Integer> idsOf(String subject) {
        List<Integer> ids = schemaIdsBySubject.get(subject);
        if (ids == null) {
            throw RegistryRequestException.subjectNotFound(subject);
        }
        return ids;
    }

    private SubjectVersion subjectVersion(String subject, int version) {
        int id = schemaIdsBySubject.get(subject).get(version - 1);
        return new SubjectVersion(subject, version, id, schemasById.get(id - 1));
    }

    private int newId(String canonicalSchema) {
        schemasById.add(canonicalSchema);
        return schemasById.size();
    }
}
