package io.sightline.app;

import io.sightline.offline.ModelEvaluation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sightline models eval}: its options; the evaluation is {@link ModelEvaluation}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run a model over labelled images and print recall, precision (detections matched to labels "
                + "by IoU), the images without faces that stayed clean, and one row per image.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the set was measured", "2:bad arguments, labels file or image"})
final class ModelsEvalCommand implements Callable<Integer> {

    @Option(names = "--labels", paramLabel = "FILE.json", required = true,
            description = "Labels: [{\"file\": NAME, \"boxes\": [[x1,y1,x2,y2], ...]}], names relative to the file's "
                    + "folder, \"boxes\": [] for an image without faces.")
    Path labelsFile;

    @Parameters(paramLabel = "IMAGE", arity = "1..*",
            description = "Images to measure, or folders of them (*.jpg, *.jpeg, *.png); each must be labelled.")
    List<Path> images;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--model", paramLabel = "REF",
            description = "Model to measure, NAME or NAME@VERSION as `models list` shows (default: the default "
                    + "version of mtcnn).")
    String modelRef;

    @Option(names = "--iou", paramLabel = "X", defaultValue = "0.4",
            description = "Smallest IoU for a detection to match a label (default: ${DEFAULT-VALUE}).")
    double minIou;

    @Option(names = "--score-floor", paramLabel = "S", defaultValue = "0.8",
            description = "Ignore detections scoring below S, on top of the model's own stage thresholds "
                    + "(default: ${DEFAULT-VALUE}, the floor at which the bundled UDFs keep a face; 0 keeps all).")
    double scoreFloor;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = new ModelEvaluation.Settings(labelsFile, images, minFace.pixels, modelRef, minIou, scoreFloor, json);
        return new ModelEvaluation(settings, assets.modelStoreConfig(),
                spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
