package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.RegistryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Another schema registry instance on an existing cluster: same `_schemas` topic, so the same ids. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the schema registry against a Kafka cluster, with its state in the compacted _schemas "
                + "topic (Confluent's layout), until Ctrl-C. Instances on one cluster serve the same ids.")
final class RegistryCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            description = "Kafka brokers holding the _schemas topic, comma-separated.")
    String bootstrapServers;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8081",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = RegistryConfig.LOOPBACK,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 = every interface).")
    String bindAddress;

    @Option(names = "--kafka-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for Kafka at start and per read or write (default: ${DEFAULT-VALUE}).")
    int kafkaTimeoutSeconds;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    /** Roles: read may GET (and look up, test compatibility); write may also register, configure and delete. */
    @Mixin
    HttpAccessOptions httpAccess;

    @Option(names = "--json", description = "Print the endpoint as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        kafkaSecurity.apply(bootstrapServers);
        RegistryConfig config = RegistryConfig.onKafka(bootstrapServers)
                .withPort(port)
                .withBindAddress(bindAddress)
                .withKafkaTimeout(Duration.ofSeconds(kafkaTimeoutSeconds))
                .withAccess(httpAccess.auth("sightline schema registry"), httpAccess.tls());
        Shutdown shutdown = new Shutdown();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config)) {
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(JsonNodeFactory.instance.objectNode()
                        .put("registryUrl", registry.url().toString())
                        .put("bootstrapServers", bootstrapServers)
                        .put("startupMs", registry.startupTime().toMillis()));
            } else {
                out.printf("schema registry    %s%nstate              topic _schemas on %s%n", registry.url(),
                        bootstrapServers);
                if (config.auth().required()) {
                    out.printf("access             login required (%s)%n", httpAccess.users == null
                            ? "bearer tokens, read only" : "users in " + httpAccess.users);
                }
                out.printf("started in %d ms; Ctrl-C stops.%n", registry.startupTime().toMillis());
            }
            out.flush();
            shutdown.awaitRequest();
            return 0;
        } finally {
            shutdown.finished();
        }
    }
}
