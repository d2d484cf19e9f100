package io.sightline.stream;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import java.time.Duration;
import java.util.Map;

/**
 * The pipelines' UDFs as the udfs topic has them now (each name's latest deployment, else the bundled UDF), kept
 * following the topic: a new deployment of any name a pipeline runs switches that stage between two records, a
 * removal goes back to the bundled UDF. What {@code process} and {@code demo} run.
 */
public final class FollowedPipelines implements AutoCloseable {

    private final UdfDeploymentWatcher watcher;
    private final PipelineUdfs udfs;

    private FollowedPipelines(UdfDeploymentWatcher watcher, PipelineUdfs udfs) {
        this.watcher = watcher;
        this.udfs = udfs;
    }

    /**
     * @param detector borrowed: close it after this
     * @param trust    the signatures deployments need, and who counts refusals
     */
    public static FollowedPipelines open(String bootstrapServers, String udfsTopic, SightlineSerdes serdes,
            Pipelines pipelines, FaceDetector detector, UdfConfig config, Duration timeout,
            UdfDeploymentWatcher.Trust trust) {
        var watcher = new UdfDeploymentWatcher(bootstrapServers, udfsTopic, pipelines.udfNames(),
                serdes.deserializer(UdfDeploymentRecord.class), trust);
        try {
            Map<String, UdfDeployment> deployed = watcher.catchUp(timeout);
            PipelineUdfs udfs = PipelineUdfs.open(pipelines, deployed, detector, config);
            watcher.follow(udfs);
            return new FollowedPipelines(watcher, udfs);
        } catch (RuntimeException e) {
            watcher.close();
            throw e;
        }
    }

    public PipelineUdfs udfs() {
        return udfs;
    }

    /** Stops following, then closes the UDFs; close the processor first. */
    @Override
    public void close() {
        try {
            watcher.close();
        } finally {
            udfs.close();
        }
    }
}
