package io.sightline.schemas;

/** Whether a serde handles record keys or values; decides the registry subject (Confluent's TopicNameStrategy). */
public enum SerdeType {
    KEY("-key"),
    VALUE("-value");

    private final String subjectSuffix;

    SerdeType(String subjectSuffix) {
        this.subjectSuffix = subjectSuffix;
    }

    /** The subject a topic's keys or values are registered under: {@code <topic>-key} or {@code <topic>-value}. */
    public String subject(String topic) {
        return topic + subjectSuffix;
    }
}
