package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.access.HttpAuth;
import io.sightline.access.Role;
import io.sightline.access.TlsKeystore;
import io.sightline.access.Users;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.dashboard.Dashboard;
import io.sightline.dashboard.DashboardAccess;
import io.sightline.dashboard.DashboardConfig;
import io.sightline.schemas.FrameLimits;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard behind a login and over TLS, as `dashboard --users --token-file --tls-keystore` serves it (its own
 * JVM, a real broker): 401 without or with wrong credentials, the page, its live stream and the API with a user's
 * password or a bearer token, /metrics behind the login unless opened, all checked over HTTPS and in Chromium.
 */
class DashboardAccessTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "tok-" + "0123456789abcdef0123456789";
    private static final Pattern URL = Pattern.compile("Dashboard at (https://\\S+)");

    @TempDir
    Path tmp;

    private Process dashboard;

    @AfterEach
    void stop() throws Exception {
        SightlineProcess.stop(dashboard);
    }

    @Test
    void withUsersAndTlsEveryPageAndApiNeedsCredentialsAndServesThemOverHttps() throws Exception {
        Path keystore = TestKeystores.keystore(tmp, "dashboard");
        Path users = tmp.resolve("users");
        addUser(users, "viewer", "read", PASSWORD);
        Path tokens = Files.writeString(tmp.resolve("tokens"), "# wall screens\n" + TOKEN + "\n");
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, Topics.withPrefix("sightline"), 1);
                HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            URI url = startDashboard(cluster, "--users", users.toString(), "--token-file", tokens.toString(),
                    "--tls-keystore", keystore.toString(), "--tls-keystore-password", TestKeystores.PASSWORD);
            assertThat(url.getScheme()).isEqualTo("https");
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TlsKeystore.open(keystore, TestKeystores.PASSWORD).clientContext()).build();

            HttpResponse<String> anonymous = get(https, url.resolve("/api/cameras"), null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Basic realm=\"sightline dashboard\""));
            assertThat(get(https, url, null).statusCode()).as("the page").isEqualTo(401);
            assertThat(get(https, url.resolve("/app.js"), null).statusCode()).as("its script").isEqualTo(401);
            assertThat(get(https, url.resolve("/metrics"), null).statusCode()).as("metrics").isEqualTo(401);
            assertThat(get(https, url.resolve("/api/cameras"), SightlineProcess.basic("viewer", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(https, url.resolve("/api/cameras"), SightlineProcess.basic("nobody", PASSWORD)).statusCode()).isEqualTo(401);
            assertThat(get(https, url.resolve("/api/cameras"), "Bearer not-a-token-at-all").statusCode())
                    .isEqualTo(401);

            HttpResponse<String> cameras = get(https, url.resolve("/api/cameras"), SightlineProcess.basic("viewer", PASSWORD));
            assertThat(cameras.statusCode()).isEqualTo(200);
            assertThat(cameras.body()).startsWith("[");
            assertThat(get(https, url.resolve("/api/health"), "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(https, url.resolve("/metrics"), SightlineProcess.basic("viewer", PASSWORD)).body())
                    .contains("component=\"dashboard\"");

            chromium.call("Security.setIgnoreCertificateErrors", chromium.json().put("ignore", true));
            chromium.cancelLogins();
            chromium.open(url);
            chromium.waitUntil("document.body?.innerText.includes('credentials required')", Duration.ofSeconds(30));
            assertThat(chromium.evaluate("performance.getEntriesByType('navigation')[0].responseStatus").asInt())
                    .as("the page's status in Chromium without credentials").isEqualTo(401);
            assertThat(chromium.evaluate("document.getElementById('live-label') === null").asBoolean())
                    .as("no dashboard shown").isTrue();
            chromium.call("Fetch.disable", null);
            chromium.call("Network.enable", null);
            chromium.call("Network.setExtraHTTPHeaders", chromium.json().set("headers",
                    chromium.json().put("Authorization", SightlineProcess.basic("viewer", PASSWORD))));
            chromium.open(url);
            chromium.waitUntil("document.getElementById('live-label')?.textContent === 'live'", Duration.ofSeconds(60));
            chromium.waitUntil("document.getElementById('state')?.textContent === 'running'", Duration.ofSeconds(60));
            assertThat(chromium.evaluate("fetch('/api/cameras').then(r => r.status)").asInt()).isEqualTo(200);
            chromium.screenshot(Path.of("target", "dashboard-login.png"));
        }
    }

    @Test
    void openMetricsLeavesOnlyMetricsWithoutTheLogin() throws Exception {
        Path users = tmp.resolve("users");
        Users.add(users, "admin", Role.WRITE, PASSWORD.toCharArray());
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, Topics.withPrefix("sightline"), 1)) {
            var config = DashboardConfig.of(cluster.bootstrapServers(), cluster.registryUrl().toString(), "sightline",
                    FrameLimits.DEFAULT_MAX_RECORD_BYTES).withListener("127.0.0.1", 0, null);
            var access = new DashboardAccess(HttpAuth.of(Optional.of(Users.read(users)), List.of(), "sightline"),
                    Optional.empty(), true);
            try (Dashboard open = Dashboard.start(config, Map.of(), access)) {
                HttpClient http = HttpClient.newHttpClient();
                assertThat(open.url().getScheme()).isEqualTo("http");
                assertThat(get(http, open.metricsUrl(), null).statusCode()).isEqualTo(200);
                assertThat(get(http, open.url().resolve("/api/health"), null).statusCode()).isEqualTo(401);
                assertThat(get(http, open.url().resolve("/api/health"), SightlineProcess.basic("admin", PASSWORD)).statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void aWrongKeystorePasswordOrUsersFileIsOneLineAndExitCode2() throws Exception {
        Path keystore = TestKeystores.keystore(tmp, "dashboard");
        Path badUsers = Files.writeString(tmp.resolve("users"), "viewer:read:plain-text-password\n");

        CommandRun wrongPassword = CommandRun.of("dashboard", "--bootstrap-servers", "127.0.0.1:1", "--registry-url",
                "http://127.0.0.1:1", "--tls-keystore", keystore.toString(), "--tls-keystore-password", "wrong");
        CommandRun malformed = CommandRun.of("dashboard", "--bootstrap-servers", "127.0.0.1:1", "--registry-url",
                "http://127.0.0.1:1", "--users", badUsers.toString());

        assertThat(wrongPassword.exitCode()).isEqualTo(2);
        assertThat(wrongPassword.err().lines().toList()).singleElement().asString()
                .contains("cannot open keystore " + keystore).contains("password");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err().lines().toList()).singleElement().asString()
                .contains(badUsers + ":1: not a password hash");
    }

    private URI startDashboard(LocalCluster cluster, String... access) throws Exception {
        List<String> args = new ArrayList<>(List.of("dashboard", "--bootstrap-servers", cluster.bootstrapServers(),
                "--registry-url", cluster.registryUrl().toString(), "--port", "0"));
        args.addAll(List.of(access));
        Path log = tmp.resolve("dashboard.log");
        dashboard = SightlineProcess.start(List.of("-Xmx512m"), args, log);
        return URI.create(SightlineProcess.await(dashboard, log, URL));
    }

    /** `sightline users add FILE NAME --role ROLE`, its own JVM, the password on standard input. */
    static void addUser(Path users, String name, String role, String password) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "users", "add", users.toString(), name, "--role", role)
                .redirectErrorStream(true).start();
        process.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("added " + name + " (" + role + ") in " + users);
        assertThat(Files.readString(users)).doesNotContain(password).contains(name + ":" + role + ":pbkdf2-sha256$");
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
