package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.access.Role;
import io.sightline.access.TlsKeystore;
import io.sightline.access.Users;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `registry --users --tls-keystore` on a real broker, its own JVM: anonymous requests get 401, a reader may read but
 * not register (403, Confluent's 40301), a writer may; `ingest` given --registry-user-info writes frames through it,
 * a wrong password stops it with one line and nothing written; Confluent's JS client reads the frames with a reader's
 * credentials over TLS.
 */
class RegistryAccessTest {

    private static final String PREFIX = "secured";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";

    @TempDir
    Path tmp;

    private Process registry;

    @AfterEach
    void stop() throws Exception {
        SightlineProcess.stop(registry);
    }

    @Test
    void readersReadWritersRegisterStrangersNeitherAndEveryClientSendsItsCredentials() throws Exception {
        Path keystore = TestKeystores.keystore(tmp, "registry");
        Path users = tmp.resolve("users");
        Users.add(users, "reader", Role.READ, "reader-pass".toCharArray());
        Users.add(users, "ci", Role.WRITE, "ci-pass".toCharArray());
        Topics topics = Topics.withPrefix(PREFIX);
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1)) {
            URI url = startRegistry(cluster, "--users", users.toString(), "--tls-keystore", keystore.toString(),
                    "--tls-keystore-password", TestKeystores.PASSWORD);
            assertThat(url.getScheme()).isEqualTo("https");
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TlsKeystore.open(keystore, TestKeystores.PASSWORD).clientContext()).build();

            HttpResponse<String> anonymous = send(https, "GET", url.resolve("/subjects"), null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Basic realm="));
            String body = new ObjectMapper().createObjectNode().put("schema", SCHEMA).toString();
            HttpResponse<String> readerWrites = send(https, "POST", url.resolve("/subjects/probe-value/versions"),
                    SightlineProcess.basic("reader", "reader-pass"), body);
            assertThat(readerWrites.statusCode()).isEqualTo(403);
            JsonNode refusal = new ObjectMapper().readTree(readerWrites.body());
            assertThat(refusal.get("error_code").asInt()).isEqualTo(40301);
            assertThat(refusal.get("message").asText()).contains("user reader may read but not POST");
            HttpResponse<String> writerWrites = send(https, "POST", url.resolve("/subjects/probe-value/versions"),
                    SightlineProcess.basic("ci", "ci-pass"), body);
            assertThat(writerWrites.statusCode()).as(writerWrites.body()).isEqualTo(200);
            int id = new ObjectMapper().readTree(writerWrites.body()).get("id").asInt();
            assertThat(send(https, "GET", url.resolve("/schemas/ids/" + id), SightlineProcess.basic("reader", "reader-pass"), null)
                    .statusCode()).isEqualTo(200);

            Path frames = Files.createDirectories(tmp.resolve("frames"));
            for (int i = 0; i < 3; i++) {
                Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), frames.resolve("f-" + i + ".jpg"));
            }
            Run wrongPassword = ingest(cluster, keystore, url, frames, "--registry-user-info", "ci:wrong");
            assertThat(wrongPassword.exitCode).isEqualTo(2);
            assertThat(wrongPassword.err.strip().lines().toList()).singleElement().asString()
                    .contains("the schema registry at " + url.toString().replaceAll("/$", ""))
                    .contains("refused the user and password given").doesNotContain("wrong");
            Run noCredentials = ingest(cluster, keystore, url, frames);
            assertThat(noCredentials.exitCode).isEqualTo(2);
            assertThat(noCredentials.err).contains("refused a request without credentials");
            Run reader = ingest(cluster, keystore, url, frames, "--registry-user-info", "reader:reader-pass");
            assertThat(reader.exitCode).as(reader.err).isEqualTo(2);
            assertThat(reader.err.strip().lines().toList()).singleElement().asString()
                    .contains("user reader may read but not POST").contains("a user allowed to do this")
                    .doesNotContain("reader-pass");
            assertThat(endOffset(cluster, topics.frames())).as("nothing written").isZero();

            Run ingested = ingest(cluster, keystore, url, frames, "--registry-user-info", "ci:ci-pass");
            assertThat(ingested.exitCode).as(ingested.err).isZero();
            assertThat(endOffset(cluster, topics.frames())).isEqualTo(3);

            byte[] frame = TopicRecords.firstValue(cluster.bootstrapServers(), topics.frames(), record -> true,
                    Duration.ofSeconds(30));
            Path pem = TestKeystores.certificatePem(keystore, "registry");
            JsonNode decoded = ConfluentJsClient.locate(tmp).withLogin("reader:reader-pass", pem)
                    .decode(url, topics.frames(), frame);
            assertThat(decoded.get("cameraId").asText()).isEqualTo("door");
        }
    }

    private record Run(int exitCode, String err) {
    }

    /** `ingest DIR` in its own JVM that trusts the registry's certificate, as a user's JVM would be told to. */
    private Run ingest(LocalCluster cluster, Path keystore, URI url, Path frames, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djavax.net.ssl.trustStore=" + keystore,
                "-Djavax.net.ssl.trustStorePassword=" + TestKeystores.PASSWORD, "-cp",
                System.getProperty("java.class.path"), Sightline.class.getName(), "ingest", frames.toString(),
                "--camera", "door", "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                url.toString(), "--topic-prefix", PREFIX));
        command.addAll(List.of(more));
        Path err = tmp.resolve("ingest-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(err));
    }

    private URI startRegistry(LocalCluster cluster, String... access) throws Exception {
        List<String> args = new ArrayList<>(List.of("registry", "--bootstrap-servers", cluster.bootstrapServers(),
                "--port", "0", "--json"));
        args.addAll(List.of(access));
        Path log = tmp.resolve("registry.log");
        registry = SightlineProcess.start(List.of("-Xmx256m"), args, log);
        return URI.create(SightlineProcess.await(registry, log, Pattern.compile("\"registryUrl\":\"([^\"]+)\""))
                + "/");
    }

    private static long endOffset(LocalCluster cluster, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String method, URI uri, String authorization,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
