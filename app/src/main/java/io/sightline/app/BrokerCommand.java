package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.Listeners;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A single-machine Kafka cluster and schema registry for `process` and `ingest` to use. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run an in-process single-node KRaft Kafka broker and the schema registry, with the "
                + "Sightline topics created (and one per named output of --pipelines), until Ctrl-C.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "0", description = "KRaft controller port (default: any free port).")
    int controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the broker's data here across restarts (default: a temporary folder).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions of the frames and output topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--json", description = "Print the endpoints as one JSON object.")
    boolean json;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address Kafka's client listeners and the registry listen on, e.g. 0.0.0.0 in a container "
                    + "(default: ${DEFAULT-VALUE}; the controller stays on 127.0.0.1).")
    String bind;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "Host that Kafka tells clients to reach --port on, e.g. the broker's name on a container "
                    + "network (default: 127.0.0.1).")
    String advertisedHost;

    @Option(names = "--external-listener", paramLabel = "HOST:PORT",
            description = "A second client listener on PORT, advertised as HOST:PORT: for clients outside the "
                    + "container network, with PORT published as the same port (e.g. 127.0.0.1:29092).")
    String externalListener;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Topics topics = Topics.withPrefix(topicPrefix);
        Set<String> outputs = pipelineOptions.pipelines().outputTopics();
        Listeners listeners;
        EmbeddedKafkaConfig config;
        try {
            listeners = Listeners.parse(bind, advertisedHost, externalListener);
            config = listeners.applyTo(EmbeddedKafkaConfig.defaults().withDataDir(dataDir).withPorts(port, controllerPort));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Shutdown shutdown = new Shutdown();
        try (LocalCluster cluster = LocalCluster.start(config, bind, registryPort, topics, partitions, outputs)) {
            var out = spec.commandLine().getOut();
            String bootstrapServers = listeners.isDefault() ? cluster.bootstrapServers()
                    : listeners.advertised(config.port());
            if (json) {
                var node = JsonNodeFactory.instance.objectNode()
                        .put("bootstrapServers", bootstrapServers)
                        .put("registryUrl", cluster.registryUrl().toString())
                        .put("startupMs", cluster.brokerStartupTime().toMillis());
                var topicNames = node.putArray("topics");
                allTopics(topics, outputs).forEach(topicNames::add);
                out.println(node);
            } else {
                out.printf("bootstrap servers  %s%nschema registry    %s%ntopics             %s%n",
                        bootstrapServers, cluster.registryUrl(), String.join(", ", allTopics(topics, outputs)));
                out.printf("started in %d ms; Ctrl-C stops.%n", cluster.brokerStartupTime().toMillis());
            }
            out.flush();
            shutdown.awaitRequest();
            return 0;
        } finally {
            shutdown.finished();
        }
    }

    private static List<String> allTopics(Topics topics, Set<String> outputs) {
        List<String> all = new ArrayList<>(topics.all());
        outputs.forEach(output -> all.add(topics.output(output)));
        return all;
    }
}
