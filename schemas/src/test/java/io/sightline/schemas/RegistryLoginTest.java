package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.access.HttpAuth;
import io.sightline.access.Role;
import io.sightline.access.Users;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against the embedded registry behind a login: credentials from the URL, roles enforced. */
class RegistryLoginTest {

    private static final Schema PROBE = SchemaBuilder.record("Probe").fields().requiredInt("n").endRecord();

    @TempDir
    Path tmp;

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthAndTheRoleDecidesWhatTheyMayDo() throws Exception {
        Path file = tmp.resolve("users");
        Users.add(file, "ci", Role.WRITE, "p@ss:word+1".toCharArray());
        Users.add(file, "reader", Role.READ, "reader".toCharArray());
        var auth = HttpAuth.of(Optional.of(Users.read(file)), List.of(), "registry");
        try (var registry = EmbeddedSchemaRegistry.start(RegistryConfig.inMemory(0).withAccess(auth, Optional.empty()))) {
            String url = registry.url().toString();
            var writer = SchemaRegistryClient.forUrls(SchemaRegistryClient.withUserInfo(url, "ci:p@ss:word+1"));
            var reader = SchemaRegistryClient.forUrls(SchemaRegistryClient.withUserInfo(url, "reader:reader"));
            var anonymous = SchemaRegistryClient.forUrls(url);

            int id = writer.register("probe-value", PROBE);

            assertThat(reader.schemaById(id)).isEqualTo(PROBE);
            assertThat(reader.lookup("probe-value", PROBE).id()).as("a lookup only reads").isEqualTo(id);
            assertThatThrownBy(() -> reader.register("other-value", PROBE))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(403);
                        assertThat(e.errorCode()).isEqualTo(40301);
                        assertThat(e.isRefusal()).isTrue();
                        assertThat(e.whatToFix()).contains("may read but not POST", "the write role");
                    });
            assertThatThrownBy(anonymous::ping).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.whatToFix()).endsWith("give a user it knows with --registry-user-info USER:PASSWORD");
            });
            assertThat(writer.baseUrls()).containsExactly(registry.url());
        }
    }

    @Test
    void userInfoGoesIntoEveryUrlEncodedAndIsRedactedForPrinting() {
        String urls = SchemaRegistryClient.withUserInfo("http://a:8081, https://old:x@b:8081/", "ci:p@ss/word");

        assertThat(urls).isEqualTo("http://ci:p%40ss%2Fword@a:8081,https://ci:p%40ss%2Fword@b:8081/");
        assertThat(SchemaRegistryClient.redacted(urls)).isEqualTo("http://a:8081,https://b:8081/");
        assertThatThrownBy(() -> SchemaRegistryClient.withUserInfo("http://a", "no-colon"))
                .hasMessageContaining("USER:PASSWORD");
    }
}
