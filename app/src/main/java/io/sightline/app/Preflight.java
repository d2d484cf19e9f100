package io.sightline.app;

import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SchemaRegistryException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up checks of what a command needs from outside: the Kafka cluster, its topics and the schema registry. Each
 * check is bounded in time and fails with one line that says what to fix, instead of a client retrying forever.
 */
final class Preflight {

    private Preflight() {}

    /** The cluster answers and every topic exists. */
    static void requireCluster(String bootstrapServers, Collection<String> topics, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int millis = (int) timeout.toMillis();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        try (Admin admin = Admin.create(p)) {
            await(admin.describeCluster().nodes(), timeout,
                    "no Kafka broker answered at " + bootstrapServers + " within " + timeout.toSeconds()
                            + " s: check --bootstrap-servers and that the cluster is running");
            requireTopics(admin, List.copyOf(topics), timeout);
        }
    }

    /** The registry answers the Confluent API. */
    static void requireRegistry(String registryUrls) {
        try {
            SchemaRegistryClient.forUrls(registryUrls).ping();
        } catch (SchemaRegistryException e) {
            throw new IllegalStateException("no schema registry answered at " + registryUrls
                    + ": check --registry-url and that the registry is running (" + e.getMessage() + ")", e);
        }
    }

    private static void requireTopics(Admin admin, List<String> topics, Duration timeout) {
        for (String topic : topics) {
            var described = admin.describeTopics(List.of(topic)).allTopicNames();
            try {
                described.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new IllegalStateException("topic " + topic + " does not exist: create it (`sightline "
                            + "broker` creates all of them) or pass the --topic-prefix it was created with");
                }
                throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the cluster did not describe topic " + topic + " within "
                        + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking topic " + topic, e);
            }
        }
    }

    private static void await(Future<?> future, Duration timeout, String failure) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the cluster", e);
        }
    }
}
