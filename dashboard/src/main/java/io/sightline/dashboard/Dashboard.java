package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.metrics.DashboardMeters;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.readers.OutputCollector;
import io.sightline.readers.TopicTail;
import io.sightline.access.HttpAuth;
import io.sightline.access.Role;
import io.sightline.access.TlsKeystore;
import io.sightline.schemas.Folders;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dashboard: the web page and events API (Javalin), the dashboard's Kafka Streams application whose state
 * stores answer the API, a live tail of the output topics pushed to pages over Server-Sent Events, and
 * {@code /metrics}. Instances sharing an application id split the cameras; a request for a camera another instance
 * owns is answered by that instance over one HTTP hop.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String WEB_ROOT = "/io/sightline/dashboard/web";
    private static final int TAIL_BACKLOG = 200;

    private final DashboardConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private final PrometheusMeterRegistry metrics;
    private final SseHub hub = new SseHub();
    private final DashboardAccess access;
    private final Peers peers;
    private final StoreRouting routing;
    private final CountDownLatch running = new CountDownLatch(1);
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sightline-dashboard-health");
        t.setDaemon(true);
        return t;
    });
    private volatile OptionalLong processorLag = OptionalLong.empty();

    private Javalin web;
    private HostInfo self;
    private ClusterAdmin admin;
    private KafkaStreams streams;
    private StoreQueries queries;
    private LiveView live;
    private TopicTail tail;
    private KafkaStreamsMetrics streamsMetrics;
    private Path stateDir;
    private final Map<String, String> zones;

    private Dashboard(DashboardConfig config, Map<String, String> zones, DashboardAccess access,
            PrometheusMeterRegistry metrics) {
        this.config = config;
        this.zones = Map.copyOf(zones);
        this.access = access;
        this.metrics = metrics;
        this.peers = new Peers(access.scheme(), access.tls().map(TlsKeystore::clientContext));
        // The streams app and this instance's address exist once started: read when a request comes.
        this.routing = new StoreRouting(() -> streams, () -> self, peers);
    }

    /** Starts the web server, creates the stats topic when missing, then the streams app and the live tail. */
    public static Dashboard start(DashboardConfig config) {
        return start(config, Map.of());
    }

    /**
     * @param zones each camera's zones and lines as JSON ({@code {"zones": [...], "lines": [...]}}, pixels of its
     *              frames), drawn over its snapshots and returned with its zone counts
     */
    public static Dashboard start(DashboardConfig config, Map<String, String> zones) {
        return start(config, zones, DashboardAccess.open());
    }

    /**
     * As {@link #start(DashboardConfig, Map)}, behind a login and over TLS as {@code access} says.
     */
    public static Dashboard start(DashboardConfig config, Map<String, String> zones, DashboardAccess access) {
        var dashboard = new Dashboard(config, zones, access, SightlineMetrics.create("dashboard"));
        try {
            dashboard.startAll();
            return dashboard;
        } catch (RuntimeException e) {
            dashboard.close();
            throw e;
        }
    }

    private void startAll() {
        var registry = SchemaRegistryClient.forUrls(config.registryUrl());
        var serdes = SightlineSerdes.forRegistry(registry);
        web = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            access.tls().ifPresent(keystore -> cfg.jetty.addConnector((server, http) ->
                    TlsConnector.create(server, http, keystore.serverContext(), config.bind(), config.port())));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB_ROOT;
                files.location = Location.CLASSPATH;
            });
            routes(cfg.routes);
        });
        try {
            web.start();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot listen on " + config.bind() + ":" + config.port()
                    + " (" + rootMessage(e) + "): choose a free port (0 picks one) or another address", e);
        }
        self = new HostInfo(config.advertisedHost(), web.port());

        admin = new ClusterAdmin(config.bootstrapServers());
        try {
            admin.ensureTopic(config.statsTopic(), config.topics().detections());
            // Zone counts read the alerts topic, which a processor creates only when a camera has zones.
            admin.ensureTopic(config.alertsTopic(), config.topics().detections());
            // A central cluster fed by edge sites without --forward-snapshots has events but no annotated topic:
            // an empty one lets the dashboard run there, showing events without snapshots.
            admin.ensureTopic(config.topics().annotated(), config.topics().detections());
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare " + config.statsTopic() + " and "
                    + config.topics().annotated() + " on Kafka at "
                    + config.bootstrapServers() + " (" + rootMessage(e) + "): is the broker up and does "
                    + config.topics().detections() + " exist?", e);
        }

        try {
            stateDir = Files.createTempDirectory("sightline-dashboard-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = config.streamsProperties(self, stateDir);
        var topology = DashboardTopology.build(config, SightlineSerdes.value(DetectionEvent.class, registry),
                serdes.deserializer(AnnotatedFrame.class), serdes.deserializer(UdfOutputRecord.class), props);
        streams = new KafkaStreams(topology, props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        queries = new StoreQueries(streams, serdes.deserializer(AnnotatedFrame.class), config.topics().annotated());
        streams.start();

        live = new LiveView(config.topics(), config.alertsTopic(), OutputCollector.Decoders.from(serdes), registry,
                new DashboardMeters(metrics), clock, hub::broadcast);
        tail = TopicTail.start(config.bootstrapServers(), List.of(config.topics().detections(),
                config.topics().annotated(), config.topics().deadLetters(), config.alertsTopic()), TAIL_BACKLOG,
                config.maxRecordBytes(), live::accept);
        scheduler.scheduleWithFixedDelay(this::refreshLag, 0, 5, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::pushHealth, 2, 2, TimeUnit.SECONDS);
        LOG.info("dashboard at {} (instance {})", url(), self);
    }


    /** Lets the request on, or answers 401 (no or wrong credentials) and skips everything else. */
    private void authenticate(Context ctx) {
        if (access.openMetrics() && ctx.path().equals("/metrics")) {
            return;
        }
        HttpAuth.Result result = access.auth().check(ctx.header(Header.AUTHORIZATION), Role.READ);
        if (result instanceof HttpAuth.Result.Unauthenticated denied) {
            ctx.header(Header.WWW_AUTHENTICATE, access.auth().challenge());
            ctx.skipRemainingHandlers();
            error(ctx, 401, denied.message());
        }
    }

    private void routes(io.javalin.config.RoutesConfig routes) {
        routes.before(this::authenticate);
        routes.get("/api/events", this::events);
        routes.get("/api/cameras", this::cameras);
        routes.get("/api/cameras/{id}/snapshot", ctx -> routing.routed(ctx, DashboardTopology.SNAPSHOTS_STORE, this::snapshot));
        routes.get("/api/cameras/{id}/snapshots/{eventId}",
                ctx -> routing.routed(ctx, DashboardTopology.RECENT_SNAPSHOTS_STORE, this::eventSnapshot));
        routes.get("/api/cameras/{id}/counts", ctx -> routing.routed(ctx, DashboardTopology.MINUTE_STORE, this::counts));
        routes.get("/api/cameras/{id}/zones",
                ctx -> routing.routed(ctx, DashboardTopology.ZONES_MINUTE_STORE, this::zoneCounts));
        routes.get("/api/alerts", ctx -> sendJson(ctx, live.recentAlerts()));
        routes.get("/api/health", ctx -> sendJson(ctx, health()));
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        routes.sse("/api/stream", client -> {
            client.keepAlive();
            hub.add(client);
        });
        routes.exception(ApiParams.BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        routes.exception(InvalidStateStoreException.class, (e, ctx) ->
                error(ctx, 503, "state stores are being (re)built after a start or rebalance; retry shortly"));
        routes.exception(Peers.PeerUnreachable.class, (e, ctx) -> error(ctx, 502, e.getMessage()));
    }

    // ---- events API -------------------------------------------------------------------------------------------

    private void events(Context ctx) throws Exception {
        Instant from = ApiParams.instant(ctx, "from", Instant.ofEpochMilli(Long.MIN_VALUE / 2));
        Instant to = ApiParams.instant(ctx, "to", Instant.ofEpochMilli(Long.MAX_VALUE / 2));
        int limit = ApiParams.limit(ctx);
        String camera = ctx.queryParam("camera");
        if (camera != null && !camera.isBlank()) {
            routing.routed(ctx, DashboardTopology.EVENTS_STORE, camera,
                    c -> sendJson(c, json.valueToTree(queries.events(camera, from, to, limit))));
            return;
        }
        if (StoreRouting.isForwarded(ctx)) {
            sendJson(ctx, json.valueToTree(queries.allEvents(from, to, limit)));
            return;
        }
        List<JsonNode> merged = new ArrayList<>();
        for (HostInfo host : routing.hosts(DashboardTopology.EVENTS_STORE)) {
            if (host.equals(self)) {
                merged.addAll(queries.allEvents(from, to, limit));
            } else {
                peers.getJson(host, ctx).forEach(merged::add);
            }
        }
        sendJson(ctx, json.valueToTree(StoreQueries.newestFirst(merged, limit)));
    }

    private void cameras(Context ctx) throws Exception {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        if (StoreRouting.isForwarded(ctx)) {
            sendJson(ctx, json.valueToTree(queries.cameras()));
            return;
        }
        for (HostInfo host : routing.hosts(DashboardTopology.SNAPSHOTS_STORE)) {
            List<JsonNode> found = new ArrayList<>();
            if (host.equals(self)) {
                found.addAll(queries.cameras());
            } else {
                peers.getJson(host, ctx).forEach(found::add);
            }
            found.forEach(c -> byId.put(c.get("cameraId").asText(), (ObjectNode) c));
        }
        live.cameras().forEach(id -> byId.computeIfAbsent(id, k -> json.createObjectNode().put("cameraId", k)));
        ArrayNode result = json.createArrayNode();
        byId.keySet().stream().sorted().forEach(id -> {
            ObjectNode camera = byId.get(id);
            String path = "/api/cameras/" + SnapshotKey.encode(id);
            camera.put("snapshotUrl", path + "/snapshot").put("countsUrl", path + "/counts")
                    .put("zonesUrl", path + "/zones");
            String geometry = zones.get(id);
            camera.set("zones", geometry == null ? null : parseJson(geometry));
            result.add(camera);
        });
        sendJson(ctx, result);
    }

    private void snapshot(Context ctx, String camera) {
        Optional<AnnotatedFrame> frame = queries.snapshot(camera);
        if (frame.isEmpty()) {
            error(ctx, 404, "no annotated frame of camera " + camera + " yet");
            return;
        }
        sendImage(ctx, frame.get(), "no-store");
    }

    private void eventSnapshot(Context ctx, String camera) {
        String eventId = ctx.pathParam("eventId");
        Optional<AnnotatedFrame> frame = queries.snapshot(camera, eventId);
        if (frame.isEmpty()) {
            error(ctx, 404, "no annotated frame of event " + eventId + " of camera " + camera + ": only the newest "
                    + DashboardTopology.SNAPSHOTS_PER_CAMERA + " per camera of the last "
                    + DashboardTopology.SNAPSHOT_RETENTION.toMinutes() + " minutes are kept");
            return;
        }
        sendImage(ctx, frame.get(), "max-age=3600, immutable"); // an event's image never changes
    }

    private static void sendImage(Context ctx, AnnotatedFrame frame, String cacheControl) {
        ByteBuffer image = frame.getImage().duplicate();
        byte[] bytes = new byte[image.remaining()];
        image.get(bytes);
        ctx.header("X-Frame-Id", frame.getFrameId())
                .header("Cache-Control", cacheControl)
                .header("X-Event-Id", frame.getEventId())
                .contentType(frame.getEncoding().name().equals("JPEG") ? "image/jpeg" : "image/png")
                .result(bytes);
    }

    private JsonNode parseJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void zoneCounts(Context ctx, String camera) {
        ObjectNode counts = queries.zoneCounts(camera, clock.instant());
        String geometry = zones.get(camera);
        counts.set("geometry", geometry == null ? null : parseJson(geometry));
        sendJson(ctx, counts);
    }

    private void counts(Context ctx, String camera) {
        sendJson(ctx, queries.counts(camera, clock.instant()));
    }

    private ObjectNode health() {
        ObjectNode health = json.createObjectNode()
                .put("instance", self.host() + ":" + self.port())
                .put("streamsState", streams == null ? "NOT_STARTED" : streams.state().name())
                .put("framesPerSecond", Math.round(live.framesPerSecond() * 100) / 100.0)
                .put("alertsTopic", config.alertsTopic())
                .put("statsTopic", config.statsTopic());
        OptionalLong lag = processorLag;
        if (lag.isPresent()) {
            health.put("processorLag", lag.getAsLong());
        } else {
            health.putNull("processorLag");
        }
        health.put("processorGroup", config.processorGroup());
        ObjectNode reasons = health.putObject("deadLettersByReason");
        live.deadLettersByReason().forEach(reasons::put);
        ArrayNode instances = health.putArray("instances");
        if (streams != null) {
            streams.metadataForAllStreamsClients().forEach(m -> instances.add(m.host() + ":" + m.port()));
        }
        return health;
    }

    /** A failed push must not end the schedule (an exception would cancel every later run). */
    private void pushHealth() {
        try {
            hub.broadcast("health", health());
        } catch (RuntimeException e) {
            LOG.debug("health not pushed: {}", e.toString());
        }
    }

    private void refreshLag() {
        try {
            processorLag = admin.lag(config.processorGroup(), config.topics().frames());
        } catch (Exception e) {
            LOG.debug("processor lag unavailable: {}", e.toString());
            processorLag = OptionalLong.empty();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void sendJson(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(body.toString());
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json")
                .result(json.createObjectNode().put("error", message).toString());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** Blocks until the streams app has its partitions and stores (the API answers from then on). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("dashboard streams not running after " + timeout + " (state "
                    + streams.state() + ")");
        }
    }

    /** The page, e.g. http://127.0.0.1:8090/ (a wildcard bind is shown as the advertised host). */
    public URI url() {
        return URI.create(access.scheme() + "://" + self.host() + ":" + self.port() + "/");
    }

    public URI metricsUrl() {
        return url().resolve("/metrics");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        hub.close();
        if (tail != null) {
            tail.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (web != null) {
            web.stop();
        }
        metrics.close();
        deleteStateDir();
    }

    private void deleteStateDir() {
        if (stateDir == null) {
            return;
        }
        if (!Folders.deleteQuietly(stateDir)) {
            LOG.debug("could not delete all of {}", stateDir);
        }
    }
}
