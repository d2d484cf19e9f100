package io.sightline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code bench} run measured: the bare inference loop and the full pipeline on the same images, threads
 * and TensorFlow session.
 *
 * @param cameras         the camera ids the frames were sent as, in turn
 * @param spread          whether the processor spread frames over every stream thread (else: camera-partitioned)
 * @param bare            the bare loop, its two halves (before and after the pipeline) taken together
 * @param measured        what the pipeline's throughput phase sent and got back, and how busy each stream thread was
 * @param stages          per-frame milliseconds in the pipeline (medians): decode, udf, inference, encode, kafka
 * @param pipelineCpuMsPerFrame CPU time of the whole process (broker, ingest, processor, consumer) per frame in the
 *                              pipeline's throughput phase
 * @param latencyLoad     frames per second offered while latency was measured (half the pipeline's throughput)
 */
record BenchReport(List<String> images, int frames, int warmup, int threads, float minFace, int interOpThreads,
        List<String> cameras, boolean spread, Bare bare, double pipelineFramesPerSecond, double pipelineCpuMsPerFrame,
        Measured measured, Stages stages,
        double latencyLoad, double p50Ms, double p99Ms, long peakRssMiB, boolean complete) {

    /**
     * The bare loop: all its frames over all the time they took, the rates of its half before and its half after the
     * pipeline, the median detection, and the process's CPU time per frame.
     */
    record Bare(double framesPerSecond, double beforeFramesPerSecond, double afterFramesPerSecond,
            double inferenceMs, double cpuMsPerFrame) {}

    /**
     * The pipeline's throughput phase: frames sent (the measured ones and those behind them), events and dead
     * letters that came back for them, and each stream thread's CPU time over the phase's wall time.
     */
    record Measured(int sent, int events, int deadLetters, List<ThreadShare> busy) {}

    /** One stream thread's busy share: 1.0 worked the whole phase, 0 idled. */
    record ThreadShare(String thread, double share) {}

    /** Median milliseconds per frame in each stage of the pipeline. */
    record Stages(double decode, double udf, double inference, double encode, double kafka) {}

    double ratio() {
        return bare.framesPerSecond() > 0 ? pipelineFramesPerSecond / bare.framesPerSecond() : 0;
    }

    /**
     * What the ratio would be if CPU were the only limit: bare CPU per frame / pipeline CPU per frame. Other
     * processes on the same cores change it far less than they change the throughputs.
     */
    double cpuRatio() {
        return pipelineCpuMsPerFrame > 0 ? bare.cpuMsPerFrame() / pipelineCpuMsPerFrame : 0;
    }

    void print(PrintWriter out) {
        out.printf("Sightline bench: %d frames (+%d warm-up) of %s, %d threads, min face %.0f px%n",
                frames, warmup, String.join(", ", images), threads, minFace);
        out.printf("  cameras       %s; frames %s%n", String.join(", ", cameras),
                spread ? "spread over every stream thread" : "in place, on their camera's partition");
        out.printf("  TensorFlow    one shared session: intra-op 1, inter-op %d%s%n", interOpThreads,
                interOpThreads < 0 ? " (each step on its calling thread)" : "");
        out.printf("  bare loop     %6.2f frames/s  (inference on pre-decoded images; %.1f ms each)%n",
                bare.framesPerSecond(), bare.inferenceMs());
        out.printf("                halves: %.2f frames/s before the pipeline, %.2f after%n",
                bare.beforeFramesPerSecond(), bare.afterFramesPerSecond());
        out.printf("  pipeline      %6.2f frames/s  (broker, ingest, processor with the Wasm UDF, outputs written)%n",
                pipelineFramesPerSecond);
        out.printf("  ratio         %6.2f  (pipeline / bare)%n", ratio());
        out.printf("  measured      %d frames sent: %d events, %d dead letters%n", measured.sent(), measured.events(),
                measured.deadLetters());
        out.printf("  busy          %s%n", measured.busy().isEmpty() ? "unknown (no thread CPU time in this JVM)"
                : String.join(", ", measured.busy().stream()
                        .map(t -> String.format(Locale.ROOT, "%s %.0f %%", t.thread(), 100 * t.share()))
                        .toList()) + " of the phase (CPU time per wall time)");
        out.printf("  CPU per frame bare %.0f ms, pipeline %.0f ms (ratio %.2f if CPU were the only limit)%n",
                bare.cpuMsPerFrame(), pipelineCpuMsPerFrame, cpuRatio());
        out.printf("  stages        per frame, median ms: decode %.1f, UDF %.1f, inference %.1f, encode %.1f, "
                + "Kafka %.1f%n", stages.decode(), stages.udf(), stages.inference(), stages.encode(), stages.kafka());
        out.printf("  latency       p50 %.0f ms, p99 %.0f ms at %.2f frames/s (half the pipeline's throughput)%n",
                p50Ms, p99Ms, latencyLoad);
        out.printf("  peak RSS      %d MiB%n", peakRssMiB);
        if (!complete) {
            out.printf("  INCOMPLETE: not every frame's outputs arrived before the timeout%n");
        }
        out.flush();
    }

    ObjectNode toJson() {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.putArray("images").addAll(images.stream().map(json::textNode).toList());
        json.putArray("cameras").addAll(cameras.stream().map(json::textNode).toList());
        json.put("spread", spread);
        json.put("frames", frames)
                .put("warmup", warmup)
                .put("threads", threads)
                .put("minFace", minFace)
                .put("tfIntraOpThreads", 1)
                .put("tfInterOpThreads", interOpThreads)
                .put("bareFramesPerSecond", round(bare.framesPerSecond(), 2))
                .put("bareBeforeFramesPerSecond", round(bare.beforeFramesPerSecond(), 2))
                .put("bareAfterFramesPerSecond", round(bare.afterFramesPerSecond(), 2))
                .put("bareInferenceMs", round(bare.inferenceMs(), 1))
                .put("pipelineFramesPerSecond", round(pipelineFramesPerSecond, 2))
                .put("ratio", round(ratio(), 3))
                .put("bareCpuMsPerFrame", round(bare.cpuMsPerFrame(), 1))
                .put("pipelineCpuMsPerFrame", round(pipelineCpuMsPerFrame, 1))
                .put("cpuRatio", round(cpuRatio(), 3))
                .put("framesSent", measured.sent())
                .put("eventsMeasured", measured.events())
                .put("deadLetters", measured.deadLetters());
        var busy = json.putArray("streamThreadBusy");
        measured.busy().forEach(t -> busy.addObject().put("thread", t.thread()).put("share", round(t.share(), 3)));
        json.putObject("stagesMs")
                .put("decode", round(stages.decode(), 1))
                .put("udf", round(stages.udf(), 1))
                .put("inference", round(stages.inference(), 1))
                .put("encode", round(stages.encode(), 1))
                .put("kafka", round(stages.kafka(), 1));
        json.put("latencyLoadFramesPerSecond", round(latencyLoad, 2))
                .put("p50Ms", round(p50Ms, 1))
                .put("p99Ms", round(p99Ms, 1))
                .put("peakRssMiB", peakRssMiB)
                .put("complete", complete);
        return json;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
