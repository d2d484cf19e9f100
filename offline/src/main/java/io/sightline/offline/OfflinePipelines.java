package io.sightline.offline;

import io.sightline.stream.Pipelines;
import io.sightline.udf.UdfRuntime;
import java.util.TreeSet;

/** The pipeline a command without a broker runs: one of the pipelines file's, made of bundled UDFs only. */
public final class OfflinePipelines {

    private OfflinePipelines() {}

    /**
     * @param name the pipeline to run, or null for the one serving "*"
     * @param command what the caller is, for the message, e.g. "detect"
     */
    public static Pipelines only(Pipelines all, String name, String command) {
        Pipelines only = all.only(name == null ? all.defaultPipeline().name() : name);
        only.requireKnownUdfs(UdfRuntime.bundledNames()::contains, command + " runs without a broker, so only "
                + "bundled UDFs (" + String.join(", ", new TreeSet<>(UdfRuntime.bundledNames())) + "); test a module "
                + "file with `sightline udf test FILE.wasm IMAGE...`");
        return only;
    }
}
