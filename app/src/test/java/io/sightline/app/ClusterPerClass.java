package io.sightline.app;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process broker and registry with the default topics, shared by the tests of a class: started before the
 * first, closed after the last. Register it as {@code @RegisterExtension static final ClusterPerClass cluster}.
 */
final class ClusterPerClass implements BeforeAllCallback, AfterAllCallback {

    static final Topics TOPICS = Topics.withPrefix(Topics.DEFAULT_PREFIX);

    private LocalCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    URI registryUrl() {
        return cluster.registryUrl();
    }

    SightlineSerdes serdes() {
        return cluster.serdes();
    }
}
