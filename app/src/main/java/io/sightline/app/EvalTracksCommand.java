package io.sightline.app;

import io.sightline.offline.OfflinePipelines;
import io.sightline.offline.TrackEvaluation;
import io.sightline.tracking.TrackerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sightline eval tracks}: its options; the evaluation is {@link TrackEvaluation}. */
@Command(name = "tracks", mixinStandardHelpOptions = true,
        description = "Run a labelled sequence through a pipeline and the tracker (its frames one camera's, at the "
                + "labels' times) and print MOTA, IDF1, ID switches and fragmentations (CLEAR-MOT and IDF1, a box "
                + "matching a label at IoU >= --iou).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the sequence was measured", "2:bad arguments, labels file or frame"})
final class EvalTracksCommand implements Callable<Integer> {

    @Option(names = "--labels", paramLabel = "FILE.json", required = true,
            description = "Labels: {\"frames\":[{\"file\":..., \"time\": ISO-8601, \"objects\":[{\"id\":..., "
                    + "\"box\":[x1,y1,x2,y2]}]}]}, files relative to DIR, frames in capture order.")
    Path labelsFile;

    @Parameters(paramLabel = "DIR", description = "The folder holding the sequence's frames.")
    Path folder;

    @Mixin
    MinFaceOptions minFace;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--pipeline", paramLabel = "NAME",
            description = "Run this pipeline of --pipelines (default: the pipeline serving \"*\"); bundled UDFs only.")
    String pipelineName;

    @Option(names = "--iou", paramLabel = "X", defaultValue = "0.4",
            description = "Smallest IoU for a tracked box to match a label (default: ${DEFAULT-VALUE}).")
    double iou;

    @Option(names = "--high-score", paramLabel = "S", defaultValue = "0.95",
            description = "Tracker: faces scoring at least S are associated first and may start a track "
                    + "(default: ${DEFAULT-VALUE}).")
    double highScore;

    @Option(names = "--birth-hits", paramLabel = "N", defaultValue = "1",
            description = "Tracker: frames a new track is seen in before its faces carry its id "
                    + "(default: ${DEFAULT-VALUE}).")
    int birthHits;

    @Option(names = "--max-miss", paramLabel = "DURATION", defaultValue = "PT1.5S",
            description = "Tracker: capture time a track is kept without a face, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration maxMiss;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrackerSettings defaults = TrackerSettings.defaults();
        var tracker = new TrackerSettings(highScore, defaults.firstIou(), defaults.secondIou(), birthHits, maxMiss,
                defaults.velocityWindow());
        return TrackEvaluation.run(labelsFile, folder,
                OfflinePipelines.only(pipelineOptions.pipelines(), pipelineName, "eval tracks"), minFace.detection(),
                assets.modelStoreConfig(), tracker, iou, json, spec.commandLine().getOut());
    }
}
