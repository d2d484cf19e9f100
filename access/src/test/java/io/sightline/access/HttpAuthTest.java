package io.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users files, password hashes, and who a request's Authorization header lets in with which role. */
class HttpAuthTest {

    @TempDir
    Path tmp;

    @Test
    void readersMayReadButNotWriteWritersMayDoBothStrangersNeither() throws Exception {
        Path file = tmp.resolve("users");
        Users.add(file, "viewer", Role.READ, "view-pass".toCharArray());
        Users.add(file, "ci", Role.WRITE, "ci-pass".toCharArray());
        HttpAuth auth = HttpAuth.of(Optional.of(Users.read(file)), List.of(), "registry");

        assertThat(auth.check(basic("viewer", "view-pass"), Role.READ))
                .isEqualTo(new HttpAuth.Result.Granted("viewer", Role.READ));
        assertThat(auth.check(basic("viewer", "view-pass"), Role.WRITE))
                .isEqualTo(new HttpAuth.Result.Forbidden("viewer", "viewer may only read"));
        assertThat(auth.check(basic("ci", "ci-pass"), Role.WRITE))
                .isEqualTo(new HttpAuth.Result.Granted("ci", Role.WRITE));
        assertThat(auth.check(basic("ci", "view-pass"), Role.READ)).isInstanceOf(HttpAuth.Result.Unauthenticated.class);
        assertThat(auth.check(basic("nobody", "x"), Role.READ)).isInstanceOf(HttpAuth.Result.Unauthenticated.class);
        assertThat(auth.check(null, Role.READ)).isInstanceOf(HttpAuth.Result.Unauthenticated.class);
        assertThat(auth.check("Basic %%%", Role.READ)).isInstanceOf(HttpAuth.Result.Unauthenticated.class);
        assertThat(auth.challenge()).isEqualTo("Basic realm=\"registry\", charset=\"UTF-8\"");
    }

    @Test
    void aBearerTokenReadsOnly() {
        String token = "0123456789abcdef-wall";
        HttpAuth auth = HttpAuth.of(Optional.empty(), List.of(token), "dashboard");

        assertThat(auth.check("Bearer " + token, Role.READ)).isEqualTo(new HttpAuth.Result.Granted("token", Role.READ));
        assertThat(auth.check("Bearer " + token, Role.WRITE)).isInstanceOf(HttpAuth.Result.Forbidden.class);
        assertThat(auth.check("Bearer " + token + "x", Role.READ)).isInstanceOf(HttpAuth.Result.Unauthenticated.class);
        assertThat(auth.challenge()).startsWith("Bearer");
    }

    @Test
    void withNothingConfiguredEveryoneMayDoEverything() {
        assertThat(HttpAuth.open().required()).isFalse();
        assertThat(HttpAuth.open().check(null, Role.WRITE)).isInstanceOf(HttpAuth.Result.Granted.class);
    }

    @Test
    void theFileKeepsSaltedHashesOnlyReadableByItsOwnerAndChangingAPasswordReplacesTheLine() throws Exception {
        Path file = tmp.resolve("users");
        assertThat(Users.add(file, "viewer", Role.READ, "first".toCharArray())).isTrue();
        assertThat(Users.add(file, "viewer", Role.WRITE, "second".toCharArray())).isFalse();

        String text = Files.readString(file);
        assertThat(text).doesNotContain("first").doesNotContain("second").contains("viewer:write:pbkdf2-sha256$100000$");
        assertThat(text.lines().filter(line -> line.startsWith("viewer:"))).hasSize(1);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Users.User viewer = Users.read(file).find("viewer").orElseThrow();
        assertThat(PasswordHash.matches("second".toCharArray(), viewer.passwordHash())).isTrue();
        assertThat(PasswordHash.matches("first".toCharArray(), viewer.passwordHash())).isFalse();
        assertThat(PasswordHash.hash("same".toCharArray())).as("salted").isNotEqualTo(PasswordHash.hash("same".toCharArray()));
    }

    @Test
    void aMalformedUsersFileNamesTheFileAndLine() throws Exception {
        Path plain = Files.writeString(tmp.resolve("plain"), "# users\nviewer:read:secret\n");
        Path role = Files.writeString(tmp.resolve("role"), "viewer:admin:" + PasswordHash.hash("x".toCharArray()));
        Path empty = Files.writeString(tmp.resolve("empty"), "# nobody\n");

        assertThatThrownBy(() -> Users.read(plain)).hasMessageStartingWith(plain + ":2: not a password hash");
        assertThatThrownBy(() -> Users.read(role)).hasMessage(role + ":1: role must be read or write, got 'admin'");
        assertThatThrownBy(() -> Users.read(empty)).hasMessageContaining("has no user");
        assertThatThrownBy(() -> HttpAuth.readTokens(Files.writeString(tmp.resolve("t"), "short\n")))
                .hasMessageContaining("shorter than 16");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
