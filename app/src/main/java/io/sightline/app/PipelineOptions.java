package io.sightline.app;

import io.sightline.stream.Pipelines;
import io.sightline.stream.PipelinesFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --pipelines FILE}: which UDF chain runs for which camera; shared by process, demo, detect and broker. */
final class PipelineOptions {

    @Option(names = "--pipelines", paramLabel = "FILE",
            description = "Pipelines YAML: named UDF chains (bundled or deployed UDFs, each with its own config and "
                    + "declared outputs) and the cameras each serves; see docs/pipelines.md (default: one "
                    + "pipeline, default = [face-annotate], for every camera).")
    Path file;

    /** The file's pipelines, validated, or the built-in default. */
    Pipelines pipelines() {
        return file == null ? Pipelines.defaults() : PipelinesFile.read(file);
    }
}
