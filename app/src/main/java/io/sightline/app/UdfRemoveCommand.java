package io.sightline.app;

import io.sightline.stream.UdfDeploymentTopic;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Removes a deployment: a tombstone in the udfs topic; processors go back to the bundled UDF of that name. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove deployed UDF NAME: processors running it go back to the bundled UDF of that name "
                + "(or keep the deployed version when there is none).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:removed", "2:bad arguments, cluster unreachable, or NAME is not deployed; nothing written"})
final class UdfRemoveCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "NAME", description = "The deployed UDF's name.")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        kafka.requireReachable(List.of(kafka.topics().udfs()));
        var topic = new UdfDeploymentTopic(kafka.bootstrapServers, kafka.topics().udfs(), kafka.serdes());
        if (!topic.deployments().containsKey(name)) {
            throw new IllegalArgumentException("no UDF named " + name + " is deployed in " + kafka.topics().udfs());
        }
        topic.remove(name);
        spec.commandLine().getOut().printf("removed %s from %s%n", name, kafka.topics().udfs());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
