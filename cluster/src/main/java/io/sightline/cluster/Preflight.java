package io.sightline.cluster;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SchemaRegistryException;
import io.sightline.schemas.WriteTime;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up checks of what a command needs from outside: the Kafka cluster, its topics and the schema registry. Each
 * check is bounded in time and fails with one line that says what to fix, instead of a client retrying forever.
 */
public final class Preflight {

    private Preflight() {}

    /** The cluster answers and every topic exists. */
    public static void requireCluster(String bootstrapServers, Collection<String> topics, Duration timeout) {
        try (Admin admin = admin(bootstrapServers, timeout)) {
            requireBrokers(admin, bootstrapServers, timeout);
            requireTopics(admin, List.copyOf(topics), timeout);
        }
    }

    /**
     * Creates a compacted control topic (such as the UDF deployments) unless it exists: it belongs to Sightline, like
     * Kafka Streams' internal topics, so a cluster need not be prepared for it by hand.
     */
    public static void ensureCompactedTopic(String bootstrapServers, String topic, Duration timeout) {
        try (Admin admin = admin(bootstrapServers, timeout)) {
            int brokers = requireBrokers(admin, bootstrapServers, timeout);
            create(admin, new NewTopic(topic, 1, (short) Math.min(3, brokers))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)), timeout,
                    "create it with cleanup.policy=compact");
        }
    }

    /**
     * Creates the topics of the pipelines' named outputs unless they exist, with as many partitions as the frames
     * topic (outputs are keyed by camera, like frames).
     */
    public static void ensureOutputTopics(String bootstrapServers, String framesTopic, List<String> topics,
            Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = admin(bootstrapServers, timeout)) {
            int brokers = requireBrokers(admin, bootstrapServers, timeout);
            int partitions;
            try {
                partitions = admin.describeTopics(List.of(framesTopic)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(framesTopic).partitions().size();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot describe topic " + framesTopic + " to create the output "
                        + "topics: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating output topics", e);
            }
            for (String topic : topics) {
                create(admin, new NewTopic(topic, partitions, (short) Math.min(3, brokers))
                        .configs(WriteTime.TOPIC_CONFIG), timeout, "create it, or remove the output from the "
                        + "pipelines file");
            }
        }
    }

    /**
     * Creates a topic of records keyed by camera unless it exists (partitions and replicas the cluster's defaults,
     * kept by write time); fails in one line ending with {@code hint} when the cluster refuses.
     */
    public static void ensureTopic(String bootstrapServers, String topic, Duration timeout, String hint) {
        try (Admin admin = admin(bootstrapServers, timeout)) {
            create(admin, new NewTopic(topic, Optional.empty(), Optional.empty()).configs(WriteTime.TOPIC_CONFIG),
                    timeout, hint);
        }
    }

    /** Creates {@code topic} unless it exists; fails in one line ending with {@code hint} when the cluster refuses. */
    private static void create(Admin admin, NewTopic topic, Duration timeout, String hint) {
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // A principal without CREATE is refused even when the topic exists; that topic is all we need.
            boolean mayNotCreate = e.getCause() instanceof TopicAuthorizationException
                    || e.getCause() instanceof ClusterAuthorizationException;
            if (mayNotCreate && exists(admin, topic.name(), timeout)) {
                return;
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + " ("
                        + e.getCause().getMessage() + "): " + hint, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not create topic " + topic.name() + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }

    private static boolean exists(Admin admin, String topic, Duration timeout) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + topic, e);
        }
    }

    /**
     * Every topic keeps and admits its records by when they were written ({@link WriteTime}); otherwise fails with
     * one line naming the topic, the setting and the fix. Run after the topics are known to exist.
     */
    public static void requireWriteTime(String bootstrapServers, Collection<String> topics, Duration timeout) {
        List<ConfigResource> resources = topics.stream().distinct()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs;
        try (Admin admin = admin(bootstrapServers, timeout)) {
            configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the settings of topics " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic settings", e);
        }
        for (ConfigResource resource : resources) {
            ConfigEntry type = configs.get(resource).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            WriteTime.problem(resource.name(), type == null ? "CreateTime" : type.value(), bootstrapServers)
                    .ifPresent(problem -> {
                        throw new IllegalStateException(problem);
                    });
        }
    }

    private static Admin admin(String bootstrapServers, Duration timeout) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        int millis = (int) timeout.toMillis();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(p);
    }

    /** How many brokers answer; fails in one line when none does. */
    private static int requireBrokers(Admin admin, String bootstrapServers, Duration timeout) {
        try {
            return admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " refused this client's credentials ("
                        + refused.getMessage() + "): check --kafka-sasl-user and --kafka-sasl-password, or the "
                        + "certificate in --kafka-keystore", refused);
            }
            throw noAnswer(bootstrapServers, timeout);
        } catch (TimeoutException e) {
            throw noAnswer(bootstrapServers, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the cluster", e);
        }
    }

    private static IllegalStateException noAnswer(String bootstrapServers, Duration timeout) {
        return new IllegalStateException("no Kafka broker answered at " + bootstrapServers + " within "
                + timeout.toSeconds() + " s: check --bootstrap-servers, --kafka-security-protocol (a TLS or SASL "
                + "listener does not answer plain text) and that the cluster is running");
    }

    /** The registry answers the Confluent API. */
    public static void requireRegistry(String registryUrls) {
        try {
            SchemaRegistryClient.forUrls(registryUrls).ping();
        } catch (SchemaRegistryException e) {
            String where = SchemaRegistryClient.redacted(registryUrls);
            if (e.isRefusal()) {
                throw new IllegalStateException("the schema registry at " + where + " refused "
                        + (registryUrls.contains("@") ? "the user and password given" : "a request without credentials")
                        + ": " + SchemaRegistryException.GIVE_A_KNOWN_USER + " (HTTP " + e.httpStatus() + ")",
                        e);
            }
            throw new IllegalStateException("no schema registry answered at " + where
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
                if (e.getCause() instanceof TopicAuthorizationException) {
                    throw new IllegalStateException("this principal may not DESCRIBE topic " + topic + ": ask for an "
                            + "ACL allowing it (and READ or WRITE, as the command needs)", e.getCause());
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
}
