package io.sightline.edge;

import io.sightline.schemas.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.mirror.DefaultReplicationPolicy;
import org.apache.kafka.connect.mirror.IdentityReplicationPolicy;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MirrorMaker 2, run inside the edge process in dedicated mode with two flows:
 * <ul>
 *   <li>{@code <site>->central}: the edge's results (detections, alerts, dead letters, optionally snapshots and
 *   frames) to the centre, renamed {@code <site>.<topic>} by {@link DefaultReplicationPolicy};</li>
 *   <li>{@code central->site}: the centre's control topics (UDF deployments, model activations) to the edge under
 *   the same names ({@link IdentityReplicationPolicy}), so the edge's processor follows what is deployed at the
 *   centre as if it had been deployed locally.</li>
 * </ul>
 * Both flows translate schema ids with {@link SchemaIdTranslation}. Each flow is its own {@link MirrorMaker} (its
 * Connect worker keeps its state in the flow's target cluster), started on a background thread that retries until
 * the target answers, so the edge starts and keeps processing while the centre is unreachable.
 */
public final class EdgeForwarder implements AutoCloseable {

    /** MirrorMaker's name for the central cluster; the edge's is its site id. */
    public static final String CENTRAL = "central";

    private static final Logger LOG = LoggerFactory.getLogger(EdgeForwarder.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final EdgeForwarderConfig config;
    private final List<Thread> starters = new ArrayList<>();
    private final Map<String, MirrorMaker> running = new LinkedHashMap<>();
    private final Map<String, String> props;
    private volatile boolean closed;

    private EdgeForwarder(EdgeForwarderConfig config) {
        this.config = config;
        this.props = properties(config);
    }

    /** Starts both flows in the background and returns at once. */
    public static EdgeForwarder start(EdgeForwarderConfig config) {
        var forwarder = new EdgeForwarder(config);
        forwarder.startFlow(CENTRAL);
        forwarder.startFlow(config.site());
        return forwarder;
    }

    /**
     * Stops the edge-to-centre flow and starts it afresh; it resumes from the position committed at the centre. For
     * a flow that stopped moving: after a long outage MirrorMaker's worker can leave its group (its rebalance
     * timeout expires while the centre is away) and not come back by itself.
     */
    public void restartUpstream() {
        MirrorMaker stale;
        synchronized (this) {
            if (closed) {
                return;
            }
            stale = running.remove(CENTRAL);
        }
        LOG.warn("Forwarding {}->{} made no progress with records waiting and the centre reachable; restarting it",
                config.site(), CENTRAL);
        if (stale != null) {
            stopQuietly(stale);
        }
        startFlow(CENTRAL);
    }

    public EdgeForwarderConfig config() {
        return config;
    }

    /** The MirrorMaker 2 configuration of both flows, as an mm2.properties file would hold it. */
    public static Map<String, String> properties(EdgeForwarderConfig config) {
        String site = config.site();
        String up = site + "->" + CENTRAL + ".";
        String down = CENTRAL + "->" + site + ".";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("clusters", site + ", " + CENTRAL);
        // Plugins (MirrorMaker's connectors, our transformation) are found by their ServiceLoader manifests instead
        // of a reflective scan of the whole class path, which takes seconds with TensorFlow on it.
        p.put("plugin.discovery", "service_load");
        p.put(site + ".bootstrap.servers", config.edgeBootstrap());
        p.put(CENTRAL + ".bootstrap.servers", config.centralBootstrap());
        // Each side's security (TLS, SASL) as registered for its cluster: MirrorMaker's clients of that cluster take it.
        KafkaClients.security(config.edgeBootstrap()).forEach((key, value) -> p.put(site + "." + key, value));
        KafkaClients.security(config.centralBootstrap()).forEach((key, value) -> p.put(CENTRAL + "." + key, value));
        // One broker per cluster in the single-machine case; -1 takes the broker's default elsewhere.
        for (String key : List.of("replication.factor", "offset-syncs.topic.replication.factor",
                "heartbeats.topic.replication.factor", "checkpoints.topic.replication.factor",
                "offset.storage.replication.factor", "config.storage.replication.factor",
                "status.storage.replication.factor")) {
            p.put(key, Integer.toString(config.replicationFactor()));
        }
        // No heartbeat topic and no consumer groups to translate: two herders, nothing else on the link. (The
        // checkpoint connector refuses to be configured with checkpoints off; with every group excluded it has no
        // task.)
        p.put("emit.heartbeats.enabled", "false");
        p.put("groups.exclude", ".*");
        p.put("sync.group.offsets.enabled", "false");
        p.put("sync.topic.acls.enabled", "false");
        // The edge's short retention must not become the centre's (and the centre's compaction is already set).
        p.put("sync.topic.configs.enabled", "false");
        p.put("refresh.topics.interval.seconds", Long.toString(config.refreshTopics().toSeconds()));
        p.put("tasks.max", "1");
        p.put("offset.flush.interval.ms", "2000");
        // Frames and snapshots are several MB: let both directions carry what the brokers accept.
        for (String cluster : List.of(site, CENTRAL)) {
            p.put(cluster + ".plugin.discovery", "service_load");
            p.put(cluster + ".producer.max.request.size", Integer.toString(config.maxRecordBytes()));
            p.put(cluster + ".consumer.max.partition.fetch.bytes", Integer.toString(config.maxRecordBytes()));
            p.put(cluster + ".consumer.fetch.max.bytes", Integer.toString(config.maxRecordBytes()));
        }

        p.put(up + "enabled", "true");
        p.put(up + "topics", String.join(",", config.forwardedTopicPatterns()));
        p.put(up + "replication.policy.class", DefaultReplicationPolicy.class.getName());
        translation(p, up, config.edgeRegistry(), config.centralRegistry(), Pattern.quote(site + ".") + ".*");

        p.put(down + "enabled", "true");
        p.put(down + "topics", config.controlTopics().stream().map(Pattern::quote).collect(Collectors.joining(",")));
        p.put(down + "replication.policy.class", IdentityReplicationPolicy.class.getName());
        translation(p, down, config.centralRegistry(), config.edgeRegistry(),
                config.avroControlTopics().stream().map(Pattern::quote).collect(Collectors.joining("|")));
        p.putAll(config.overrides());
        return p;
    }

    /** @param topics regex of the target topics to translate (never MirrorMaker's own, e.g. heartbeats) */
    private static void translation(Map<String, String> p, String flow, String from, String to, String topics) {
        p.put(flow + "transforms", "schemaIds");
        p.put(flow + "transforms.schemaIds.type", SchemaIdTranslation.class.getName());
        p.put(flow + "transforms.schemaIds." + SchemaIdTranslation.SOURCE_REGISTRY, from);
        p.put(flow + "transforms.schemaIds." + SchemaIdTranslation.TARGET_REGISTRY, to);
        p.put(flow + "transforms.schemaIds." + SchemaIdTranslation.TOPICS_REGEX, topics);
        // A registry that cannot be reached is waited for, record by record, for as long as it takes.
        p.put(flow + "errors.retry.timeout", "-1");
        p.put(flow + "errors.retry.delay.max.ms", "10000");
        // A record no registry can describe is logged and skipped instead of stopping the flow.
        p.put(flow + "errors.tolerance", "all");
        p.put(flow + "errors.log.enable", "true");
    }

    private void startFlow(String targetCluster) {
        String name = targetCluster.equals(CENTRAL) ? config.site() + "->" + CENTRAL : CENTRAL + "->" + config.site();
        Thread starter = new Thread(() -> {
            while (!closed) {
                try {
                    MirrorMaker mirror = new MirrorMaker(props, List.of(targetCluster));
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        mirror.start();
                        running.put(targetCluster, mirror);
                    }
                    LOG.info("Forwarding {} started", name);
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Forwarding {} cannot start yet ({}); retrying in {} s", name, e.getMessage(),
                            RETRY.toSeconds());
                    try {
                        Thread.sleep(RETRY.toMillis());
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "sightline-edge-forward-" + targetCluster);
        starter.setDaemon(true);
        starter.start();
        synchronized (this) {
            starters.add(starter);
        }
    }

    private static void stopQuietly(MirrorMaker mirror) {
        try {
            mirror.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping MirrorMaker: {}", e.toString());
        }
    }

    /** Stops both flows; forwarding resumes from the committed positions on the next start. */
    @Override
    public void close() {
        List<MirrorMaker> toStop;
        List<Thread> toInterrupt;
        synchronized (this) {
            closed = true;
            toStop = List.copyOf(running.values());
            toInterrupt = List.copyOf(starters);
        }
        toInterrupt.forEach(Thread::interrupt);
        toStop.forEach(EdgeForwarder::stopQuietly);
    }
}
