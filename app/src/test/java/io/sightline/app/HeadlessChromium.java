package io.sightline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.Folders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system's Chromium (Debian {@code chromium}) in headless mode, driven over the DevTools protocol with the JDK's
 * own WebSocket client: open a page, wait until a script says it is ready, read values from it, take a screenshot.
 * Nothing is downloaded; a fresh profile directory keeps runs independent.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> events = new ConcurrentHashMap<>();
    private final Object sending = new Object();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static String binary() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no chromium on this machine: apt-get install -y chromium (`./sightline test` installs it)");
    }

    static HeadlessChromium start(int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("sightline-chromium-");
        Process process = new ProcessBuilder(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).start();
        String browserUrl = devToolsUrl(process);
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (JsonNode target : new ObjectMapper().readTree(list)) {
            if ("page".equals(target.path("type").asText())) {
                pageUrl = target.get("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageUrl == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium opened no page: " + list);
        }
        var holder = new CompletableFuture<HeadlessChromium>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    holder.thenAccept(chromium -> chromium.onMessage(message));
                }
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        var chromium = new HeadlessChromium(process, profile, socket);
        holder.complete(chromium);
        chromium.call("Page.enable", null);
        chromium.call("Runtime.enable", null);
        return chromium;
    }

    private static String devToolsUrl(Process process) throws Exception {
        var found = new CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        found.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
            found.completeExceptionally(new IllegalStateException("chromium exited without a DevTools endpoint"));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        return found.get(30, TimeUnit.SECONDS);
    }

    private void onMessage(String message) {
        try {
            JsonNode node = json.readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> call = pending.remove(node.get("id").asInt());
                if (call != null) {
                    call.complete(node);
                }
            } else if (node.has("method")) {
                Consumer<JsonNode> handler = events.get(node.get("method").asText());
                if (handler != null) {
                    handler.accept(node.path("params"));
                }
            }
        } catch (IOException e) {
            // not for us
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        ObjectNode request = request(method, params);
        var response = new CompletableFuture<JsonNode>();
        pending.put(request.get("id").asInt(), response);
        send(request);
        JsonNode node = response.get(30, TimeUnit.SECONDS);
        if (node.has("error")) {
            throw new IllegalStateException(method + " failed: " + node.get("error"));
        }
        return node.get("result");
    }

    /** A DevTools call with the next id. */
    private ObjectNode request(String method, ObjectNode params) {
        ObjectNode request = json.createObjectNode().put("id", ids.incrementAndGet()).put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        return request;
    }

    /** Sends one message; the socket takes one at a time, from the test's thread or from an event handler. */
    private void send(ObjectNode request) throws Exception {
        synchronized (sending) {
            socket.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends a call whose answer nobody waits for: from an event handler, which runs on the socket's own thread. */
    private void tell(String method, ObjectNode params) {
        try {
            send(request(method, params));
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed", e);
        }
    }

    /**
     * From now on answers every HTTP login prompt as a user closing the dialog would: Chromium then shows the 401
     * response itself. Headless Chromium would otherwise wait on the prompt for ever.
     */
    void cancelLogins() throws Exception {
        events.put("Fetch.requestPaused", request ->
                tell("Fetch.continueRequest", json().put("requestId", request.path("requestId").asText())));
        events.put("Fetch.authRequired", request -> {
            ObjectNode answer = json().put("requestId", request.path("requestId").asText());
            answer.set("authChallengeResponse", json().put("response", "CancelAuth"));
            tell("Fetch.continueWithAuth", answer);
        });
        ObjectNode params = json().put("handleAuthRequests", true);
        params.set("patterns", json.createArrayNode().add(json().put("urlPattern", "*")));
        call("Fetch.enable", params);
    }

    /** An empty JSON object, for a call's parameters. */
    ObjectNode json() {
        return json.createObjectNode();
    }

    void open(URI url) throws Exception {
        call("Page.navigate", json.createObjectNode().put("url", url.toString()));
    }

    /** The value of a JavaScript expression in the page (JSON-compatible values). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", json.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Polls {@code condition} (a JavaScript expression) until it is true; fails with the page's text otherwise. */
    void waitUntil(String condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (evaluate("Boolean(" + condition + ")").asBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("page never satisfied " + condition + "; it shows:\n"
                + evaluate("document.body.innerText").asText());
    }

    void screenshot(Path png) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        // Chromium's helpers (zygote, network service) outlive the browser for a moment and keep writing into
        // the profile; stop them all before the profile goes.
        var helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle helper : helpers) {
            helper.destroyForcibly();
            helper.onExit().get(10, TimeUnit.SECONDS);
        }
        for (int attempt = 0; attempt < 5 && !Folders.deleteQuietly(profile); attempt++) {
            Thread.sleep(200);
        }
    }
}
