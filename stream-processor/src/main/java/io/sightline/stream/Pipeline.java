package io.sightline.stream;

import io.sightline.schemas.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named, ordered chain of UDFs and the cameras it serves ({@value #ALL_CAMERAS} = every camera no other pipeline
 * lists).
 *
 * @param line where the pipeline starts in its file (1-based), 0 when it was not read from a file
 */
public record Pipeline(String name, List<Stage> stages, Set<String> cameras, int line) {

    public static final String ALL_CAMERAS = "*";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Pipeline {
        Objects.requireNonNull(name, "name");
        stages = List.copyOf(stages);
        cameras = Set.copyOf(cameras);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pipeline name '" + name + "' must be 1-64 of a-z, 0-9, '.', '_', "
                    + "'-' starting with a letter or digit");
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + name + " has no stages: list at least one UDF");
        }
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + name + " serves no cameras: list camera ids, or \""
                    + ALL_CAMERAS + "\" for every camera no other pipeline lists");
        }
        Set<String> seen = new HashSet<>();
        for (Stage stage : stages) {
            if (!seen.add(stage.udf())) {
                throw new IllegalArgumentException("pipeline " + name + " runs UDF " + stage.udf() + " twice"
                        + Stage.at(stage.line()) + ": a UDF may appear once per pipeline (its state is kept per "
                        + "pipeline and UDF)");
            }
        }
    }

    /** A pipeline serving every camera, for code and the built-in default. */
    public static Pipeline forAllCameras(String name, List<Stage> stages) {
        return new Pipeline(name, stages, Set.of(ALL_CAMERAS), 0);
    }

    public boolean isDefault() {
        return cameras.contains(ALL_CAMERAS);
    }

    /** Every named output the stages declare. */
    public Set<String> outputs() {
        Set<String> outputs = new HashSet<>();
        stages.forEach(stage -> outputs.addAll(stage.outputs()));
        return Set.copyOf(outputs);
    }

    /**
     * One UDF in a pipeline.
     *
     * @param udf        a bundled UDF's name or a name deployed with {@code udf deploy}
     * @param configJson the JSON object handed to the UDF's {@code init}; empty = the deployment's own config (or
     *                   {@code {}} for a bundled UDF)
     * @param outputs    the named outputs the UDF may emit to, each going to topic {@code <prefix>.<output>}
     * @param line       where the stage is in its file, 0 when it was not read from a file
     */
    public record Stage(String udf, Optional<String> configJson, Set<String> outputs, int line) {

        static final Pattern OUTPUT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

        public Stage {
            Objects.requireNonNull(udf, "udf");
            Objects.requireNonNull(configJson, "configJson");
            outputs = Set.copyOf(outputs);
            if (!NAME.matcher(udf).matches()) {
                throw new IllegalArgumentException("UDF name '" + udf + "' must be 1-64 of a-z, 0-9, '.', '_', '-' "
                        + "starting with a letter or digit");
            }
            for (String output : outputs) {
                if (!OUTPUT.matcher(output).matches()) {
                    throw new IllegalArgumentException("output name '" + output + "' must be 1-64 of a-z, 0-9, '_', "
                            + "'-' starting with a letter or digit (it becomes topic <prefix>." + output + ")");
                }
                if (Topics.RESERVED_OUTPUTS.contains(output)) {
                    throw new IllegalArgumentException("output name '" + output + "' is taken by Sightline's own "
                            + "topic <prefix>." + output + ": choose another name");
                }
            }
        }

        public static Stage of(String udf) {
            return new Stage(udf, Optional.empty(), Set.of(), 0);
        }

        static String at(int line) {
            return line > 0 ? " (line " + line + ")" : "";
        }
    }
}
