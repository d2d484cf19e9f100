package io.sightline.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.ingest.ImageFiles;
import io.sightline.model.ModelStore;
import io.sightline.offline.FileDetection;
import io.sightline.offline.FolderTracks;
import io.sightline.offline.OfflinePipelines;
import io.sightline.schemas.FrameLimits;
import io.sightline.stream.PipelineChain;
import io.sightline.stream.PipelineUdfs;
import io.sightline.stream.Pipelines;
import io.sightline.stream.UdfStack;
import io.sightline.udf.UdfState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a pipeline's UDF chain on image files, without a broker. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detect faces in image files with the same Wasm UDF chain the stream runs (a pipeline of "
                + "--pipelines, default [face-annotate]), no broker.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image was processed", "1:at least one image failed (see its error)",
                "2:bad arguments or configuration"})
final class DetectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "1..*",
            description = "JPEG or PNG files (type read from content), or folders: their *.jpg, *.jpeg and *.png "
                    + "files, sub-folders included, in name order.")
    List<Path> images;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = {"--annotate", "--out"}, paramLabel = "DIR",
            description = "Also write <image>.png (or .jpg when a PNG would be too large) with boxes drawn to DIR, "
                    + "and each named output a pipeline emits as <image>.<output>.json|png|jpg.")
    Path annotateDir;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--pipeline", paramLabel = "NAME",
            description = "Run this pipeline of --pipelines on the images, as one camera in name order (stateful "
                    + "UDFs see the images as a sequence); bundled UDFs only, as there is no broker (default: the "
                    + "pipeline serving \"*\").")
    String pipelineName;

    @Option(names = "--json", description = "One JSON object per image on stdout.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var options = minFace.detection();
        Pipelines pipelines = OfflinePipelines.only(pipelineOptions.pipelines(), pipelineName, "detect");
        List<Path> files = ImageFiles.of(images);
        if (annotateDir != null) {
            Files.createDirectories(annotateDir);
        }
        int failures = 0;
        Map<String, UdfState> states = new HashMap<>();
        var tracks = new FolderTracks();
        try (ModelStore models = ModelStore.open(assets.modelStoreConfig());
                PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of(), models.faceDetector(),
                        UdfStack.udfConfig(options, FrameLimits.defaults()));
                PipelineChain chain = udfs.chain(pipelines.defaultPipeline())) {
            for (Path image : files) {
                ObjectNode result = FileDetection.detect(chain, image, annotateDir,
                        stage -> states.computeIfAbsent(stage.udf(), udf -> UdfState.inMemory()));
                tracks.assign(result, image);
                failures += result.has("error") ? 1 : 0;
                FileDetection.print(spec.commandLine().getOut(), result, json);
            }
        }
        return failures == 0 ? 0 : 1;
    }

}
