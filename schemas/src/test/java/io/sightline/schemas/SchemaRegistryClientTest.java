package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
    private static final Schema USER = new Schema.Parser().parse("""
            {"type": "record", "name": "User", "namespace": "test", "fields": [{"name": "name", "type": "string"}]}""");

    private EmbeddedSchemaRegistry registry;
    private SchemaRegistryClient client;

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(0);
        client = new SchemaRegistryClient(List.of(registry.url()));
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void registersAndReadsBackBySchemaIdAndLatestVersion() {
        int id = client.register("users-value", USER);

        assertThat(client.schemaById(id)).isEqualTo(USER);
        assertThat(client.latest("users-value")).isEqualTo(new RegisteredSchema("users-value", 1, id, USER));
        assertThat(client.lookup("users-value", USER)).isEqualTo(new RegisteredSchema("users-value", 1, id, USER));
    }

    @Test
    void mapsConfluentErrorsToNotFoundWithTheirErrorCode() {
        assertThatThrownBy(() -> client.latest("missing-value"))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.httpStatus()).isEqualTo(404);
                })
                .hasMessageContaining("Subject 'missing-value' not found");
        assertThatThrownBy(() -> client.schemaById(77))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void encodesSubjectsThatNeedEscaping() {
        int id = client.register("team/users value", USER);

        assertThat(client.latest("team/users value").id()).isEqualTo(id);
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
        var withDeadFirst = new SchemaRegistryClient(List.of(deadUrl(), registry.url()));

        assertThat(withDeadFirst.register("users-value", USER)).isEqualTo(1);
    }

    @Test
    void reportsAllUrlsUnreachableWithoutAnHttpStatus() throws IOException {
        var unreachable = new SchemaRegistryClient(List.of(deadUrl()));

        assertThatThrownBy(() -> unreachable.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE))
                .hasMessageContaining("schema registry unreachable");
    }

    @Test
    void servesSchemasAndRegistrationsFromCacheOnceSeen() {
        int id = client.register("users-value", USER);
        client.schemaById(id);
        registry.close();

        assertThat(client.schemaById(id)).isEqualTo(USER);
        assertThat(client.register("users-value", USER)).isEqualTo(id);
    }

    @Test
    void parsesACommaSeparatedUrlList() {
        var parsed = SchemaRegistryClient.forUrls(" http://a:8081 ,http://b:8081/ccompat/,");

        assertThat(parsed.baseUrls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081/ccompat/"));
    }

    /** A loopback URL on which nothing listens. */
    private static URI deadUrl() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
