package io.sightline.schemas;

import java.util.Locale;

/**
 * Where in the pipeline a record failed: the {@code stage} of a {@code DeadLetter}, written as its lower-case label
 * (the record's field stays a string, so consumers that know no Java read it as they always have).
 */
public enum DeadLetterStage {
    /** Refused before it became a frame: unreadable, unsupported or too large input. */
    INGEST,
    /** The record's bytes are not a frame in the Confluent wire format. */
    DESERIALIZE,
    /** The frame's image does not decode. */
    DECODE,
    /** A UDF trapped, ran out of time or broke the ABI, or chose to drop the frame. */
    UDF,
    /** The model failed on the frame. */
    INFERENCE,
    /** Something unexpected failed while the frame was processed (a bug, dead-lettered as INTERNAL). */
    PROCESS,
    /** An output could not be serialized. */
    SERIALIZE,
    /** The broker refused an output (too large, for instance). */
    PRODUCE;

    /** How the stage is written in a dead letter. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a dead letter's stage field names this stage. */
    public boolean is(CharSequence stage) {
        return stage != null && label().contentEquals(stage);
    }

    /** The stage a UDF runtime reports by its label; an unknown one counts as the UDF's. */
    public static DeadLetterStage of(String label) {
        for (DeadLetterStage stage : values()) {
            if (stage.is(label)) {
                return stage;
            }
        }
        return UDF;
    }
}
