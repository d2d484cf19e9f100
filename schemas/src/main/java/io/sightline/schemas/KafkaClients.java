package io.sightline.schemas;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The settings every Kafka client Sightline makes starts from: {@code bootstrap.servers}, plus the cluster's
 * security settings (TLS, mutual TLS, SASL) when the launcher registered some for those servers at start.
 *
 * <p>Security belongs to a cluster, not to a client: a processor's stream threads, its deployment watchers, its
 * start-up checks and the registry's journal all reach the same cluster the same way, while an edge site talks
 * plainly to its own broker and securely to the centre. So settings are registered once per cluster, keyed by its
 * bootstrap servers, and each of the places that make clients asks here instead of carrying them along.
 */
public final class KafkaClients {

    private static final Map<String, Map<String, String>> SECURITY = new ConcurrentHashMap<>();

    private KafkaClients() {
    }

    /** From now on, every client of this cluster also gets these settings (replacing any registered before). */
    public static void secure(String bootstrapServers, Map<String, String> settings) {
        if (settings.isEmpty()) {
            SECURITY.remove(bootstrapServers);
        } else {
            SECURITY.put(bootstrapServers, Map.copyOf(settings));
        }
    }

    /** The security settings registered for the cluster; empty when it is reached in plain text. */
    public static Map<String, String> security(String bootstrapServers) {
        return SECURITY.getOrDefault(bootstrapServers, Map.of());
    }

    /** A new, modifiable client config: the cluster's servers and security settings. */
    public static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(security(bootstrapServers));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** {@link #config(String)} with the client's own settings added. */
    public static Map<String, Object> config(String bootstrapServers, Map<String, ?> settings) {
        Map<String, Object> config = config(bootstrapServers);
        config.putAll(settings);
        return config;
    }
}
