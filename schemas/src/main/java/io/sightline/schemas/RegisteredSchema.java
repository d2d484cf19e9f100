package io.sightline.schemas;

import org.apache.avro.Schema;

/** One version of a subject in a schema registry: the schema and the global id that wire-format records carry. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
