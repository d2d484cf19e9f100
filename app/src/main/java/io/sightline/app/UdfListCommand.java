package io.sightline.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.UdfDeploymentTopic;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The UDFs deployed now: the udfs topic read to its end. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the deployed UDFs (name, version, sha256, size, deployedAt) from the udfs topic.")
final class UdfListCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        kafka.requireReachable(List.of(kafka.topics().udfs()));
        Map<String, UdfDeploymentRecord> deployments =
                new UdfDeploymentTopic(kafka.bootstrapServers, kafka.topics().udfs(), kafka.serdes()).deployments();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            deployments.values().forEach(udf -> array.addObject()
                    .put("name", udf.getName())
                    .put("version", udf.getVersion())
                    .put("sha256", udf.getSha256())
                    .put("size", udf.getModule().remaining())
                    .put("config", udf.getConfigJson())
                    .put("deployedAt", udf.getDeployedAt().toString()));
            out.println(array);
        } else if (deployments.isEmpty()) {
            out.println("no UDF deployed in " + kafka.topics().udfs() + " (processors run the bundled UDFs)");
        } else {
            deployments.values().forEach(udf -> out.printf("%-24s %-16s %s %9d bytes  %s%n", udf.getName(),
                    udf.getVersion(), udf.getSha256(), udf.getModule().remaining(), udf.getDeployedAt()));
        }
        out.flush();
        return 0;
    }
}
