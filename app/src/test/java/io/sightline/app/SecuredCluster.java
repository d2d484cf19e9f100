package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The embedded broker as a secured production cluster: a SASL_SSL listener (PLAIN and SCRAM-SHA-512 users), a TLS
 * listener requiring client certificates, ACLs enforced by KRaft's StandardAuthorizer (nothing allowed unless an ACL
 * says so). Its plain-text listener and controller, for the broker itself and the test's own setup and checks, are
 * the only super user (ANONYMOUS).
 */
final class SecuredCluster implements AutoCloseable {

    static final String PASSWORD = TestKeystores.PASSWORD;

    final LocalCluster cluster;
    final String saslBootstrap;
    final String mtlsBootstrap;
    final Path truststore;
    private final Path dir;
    private final Path clientTrust;

    private SecuredCluster(LocalCluster cluster, String saslBootstrap, String mtlsBootstrap, Path dir, Path truststore) {
        this.cluster = cluster;
        this.saslBootstrap = saslBootstrap;
        this.mtlsBootstrap = mtlsBootstrap;
        this.dir = dir;
        this.truststore = truststore;
        this.clientTrust = truststore;
    }

    /** @param plainUsers SASL/PLAIN users and their passwords, fixed in the broker's config */
    static SecuredCluster start(Path dir, Topics topics, Map<String, String> plainUsers) throws Exception {
        Path brokerKeys = TestKeystores.keystore(dir, "broker");
        Path cameraKeys = TestKeystores.keystore(dir, "camera", "CN=camera");
        // Clients trust the broker's certificate; the broker trusts the camera's.
        Path clientTrust = TestKeystores.truststore(dir, "client-trust", brokerKeys, "broker");
        Path brokerTrust = TestKeystores.truststore(dir, "broker-trust", cameraKeys, "camera");
        int plain = Scrapes.freePort();
        int controller = Scrapes.freePort();
        int sasl = Scrapes.freePort();
        int mtls = Scrapes.freePort();
        String host = "127.0.0.1";
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        plainUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("listeners", "PLAINTEXT://" + host + ":" + plain + ",SECURE://" + host + ":" + sasl
                + ",MTLS://" + host + ":" + mtls + ",CONTROLLER://" + host + ":" + controller);
        overrides.put("advertised.listeners", "PLAINTEXT://" + host + ":" + plain + ",SECURE://" + host + ":" + sasl
                + ",MTLS://" + host + ":" + mtls);
        overrides.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL,MTLS:SSL");
        overrides.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        overrides.put("listener.name.secure.plain.sasl.jaas.config", jaas + ";");
        overrides.put("listener.name.secure.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        overrides.put("ssl.keystore.location", brokerKeys.toString());
        overrides.put("ssl.keystore.password", PASSWORD);
        overrides.put("ssl.key.password", PASSWORD);
        overrides.put("ssl.keystore.type", "PKCS12");
        overrides.put("listener.name.mtls.ssl.truststore.location", brokerTrust.toString());
        overrides.put("listener.name.mtls.ssl.truststore.password", PASSWORD);
        overrides.put("listener.name.mtls.ssl.truststore.type", "PKCS12");
        overrides.put("listener.name.mtls.ssl.client.auth", "required");
        overrides.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        overrides.put("super.users", "User:ANONYMOUS");
        var config = new EmbeddedKafkaConfig(null, plain, controller, EmbeddedKafkaConfig.DEFAULT_MAX_MESSAGE_BYTES,
                overrides);
        LocalCluster cluster = LocalCluster.start(config, 0, topics, 1);
        return new SecuredCluster(cluster, host + ":" + sasl, host + ":" + mtls, dir, clientTrust);
    }

    /** Adds a SCRAM-SHA-512 user. */
    void scramUser(String user, String password) throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Allows the principal (User:NAME, or User:CN=… for a certificate) these operations on a resource. */
    void allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation... operations)
            throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        try (Admin admin = admin()) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Command-line options of a SASL_SSL client of this cluster's SASL listener. */
    List<String> sasl(String mechanism, String user, String password) {
        List<String> options = new ArrayList<>(List.of("--bootstrap-servers", saslBootstrap));
        options.addAll(saslSecurity(mechanism, user, password));
        return options;
    }

    /** The security options alone, for a command that names the cluster its own way (edge's --central-bootstrap). */
    List<String> saslSecurity(String mechanism, String user, String password) {
        return List.of("--kafka-sasl-mechanism", mechanism, "--kafka-sasl-user", user, "--kafka-sasl-password",
                password, "--kafka-truststore", clientTrust.toString(), "--kafka-truststore-password", PASSWORD);
    }

    /** Command-line options of a mutual-TLS client holding the camera's certificate. */
    List<String> mtls() {
        return List.of("--bootstrap-servers", mtlsBootstrap, "--kafka-keystore",
                dir.resolve("camera.p12").toString(), "--kafka-keystore-password", PASSWORD, "--kafka-truststore",
                clientTrust.toString(), "--kafka-truststore-password", PASSWORD);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @Override
    public void close() {
        cluster.close();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
