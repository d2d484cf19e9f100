package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.dashboard.Dashboard;
import io.sightline.dashboard.DashboardConfig;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaIngest;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.tracking.CameraZones;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.AnnotatedImageStatus;
import io.sightline.schemas.avro.Box;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.ModelRef;
import io.sightline.schemas.avro.Timings;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard over a real pipeline: in-process KRaft broker and registry, the stream processor with the real UDF and
 * TensorFlow over the Solvay photo (camera {@code lobby}) and the MTCNN test photo plus a truncated JPEG (camera
 * {@code door}), then real HTTP against the dashboard, Server-Sent Events, a second instance, and headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    private static final int PARTITIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The lobby camera's zone and line (pixels of the Solvay photo), drawn over its tile. */
    private static final CameraZones LOBBY_ZONES = new CameraZones(
            List.of(new CameraZones.Zone("front row", List.of(new CameraZones.Point(0, 400),
                    new CameraZones.Point(960, 400), new CameraZones.Point(960, 661), new CameraZones.Point(0, 661)),
                    Optional.empty())),
            List.of(new CameraZones.Line("aisle", new CameraZones.Point(480, 0), new CameraZones.Point(480, 661))));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path tmp;
    private LocalCluster cluster;
    private UdfStack udfs;
    private SightlineProcessor processor;
    private Dashboard dashboard;
    private Instant startedAt;

    @BeforeAll
    void runThePipelineAndStartADashboard() throws Exception {
        Path assets = CommandRun.assets();
        tmp = Files.createTempDirectory("sightline-dashboard-test-");
        Path lobby = Files.createDirectories(tmp.resolve("in/lobby"));
        Path door = Files.createDirectories(tmp.resolve("in/door"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), lobby.resolve("solvay-1927.jpg"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), door.resolve("tf-mtcnn-test.jpg"));
        byte[] jpeg = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        Files.write(door.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        // The door camera's clock runs three hours ahead (a wrong time zone): its tile says so.
        Files.setLastModifiedTime(door.resolve("tf-mtcnn-test.jpg"), FileTime.from(Instant.now().plus(Duration.ofHours(3))));

        startedAt = Instant.now();
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        cluster = LocalCluster.start(new EmbeddedKafkaConfig(null, 0, 0, FrameLimits.DEFAULT_MAX_RECORD_BYTES, Map.of()),
                0, topics, PARTITIONS);
        FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
        udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(), limits);
        var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, PARTITIONS, limits);
        processor = SightlineProcessor.start(config, TopologySerdes.from(cluster.serdes()), udfs.runtime());
        processor.awaitRunning(Duration.ofSeconds(120));

        dashboard = Dashboard.start(dashboardConfig(0), Map.of("lobby", LOBBY_ZONES.toJson()));
        dashboard.awaitRunning(Duration.ofSeconds(60));

        var source = new DirectorySource(new DirectorySourceConfig(tmp.resolve("in"), Optional.empty(), limits));
        KafkaIngest.publish(source, cluster.bootstrapServers(), cluster.serdes(), topics, limits);
        awaitJson("/api/events?camera=lobby", events -> events.size() == 1, Duration.ofSeconds(120));
        awaitJson("/api/events?camera=door", events -> events.size() == 1, Duration.ofSeconds(60));
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {dashboard, processor, udfs, cluster}) {
            if (c != null) {
                c.close();
            }
        }
        try (Stream<Path> paths = Files.walk(tmp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private DashboardConfig dashboardConfig(int port) {
        return DashboardConfig.of(cluster.bootstrapServers(), cluster.registryUrl().toString(), Topics.DEFAULT_PREFIX,
                FrameLimits.DEFAULT_MAX_RECORD_BYTES).withListener("127.0.0.1", port, null);
    }

    @Test
    @Order(1)
    void eventsApiFindsTheSolvayEventByCameraAndTimeRange() throws Exception {
        Instant now = Instant.now();
        JsonNode all = getJson("/api/events?camera=lobby");
        assertThat(all).hasSize(1);
        JsonNode solvay = all.get(0);
        assertThat(solvay.get("frameId").asText()).isEqualTo("solvay-1927");
        assertThat(solvay.get("faces")).hasSize(29);
        assertThat(solvay.at("/model/sha256").asText())
                .isEqualTo("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2");
        assertThat(solvay.at("/faces/0/landmarks")).hasSize(5);
        assertThat(solvay.at("/udf/name").asText()).isNotEmpty();

        Instant captured = Instant.parse(solvay.get("capturedAt").asText());
        String around = "&from=" + captured.minusSeconds(1) + "&to=" + captured.plusSeconds(1);
        assertThat(getJson("/api/events?camera=lobby" + around)).hasSize(1);
        String after = "&from=" + captured.plusSeconds(1) + "&to=" + now.plusSeconds(3600);
        assertThat(getJson("/api/events?camera=lobby" + after)).isEmpty();
        assertThat(getJson("/api/events?camera=nobody")).isEmpty();

        JsonNode everyCamera = getJson("/api/events");
        assertThat(everyCamera).extracting(e -> e.get("cameraId").asText() + "=" + e.get("faces").size())
                .contains("lobby=29", "door=6");

        HttpResponse<String> bad = get("/api/events?camera=lobby&from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("ISO-8601");
    }

    @Test
    @Order(2)
    void snapshotEndpointReturnsTheLatestAnnotatedFrameAsADecodableImage() throws Exception {
        HttpResponse<byte[]> response = http.send(request("/api/cameras/lobby/snapshot"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("X-Frame-Id")).hasValue("solvay-1927");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertThat(image.getWidth()).isEqualTo(960);
        assertThat(image.getHeight()).isEqualTo(661);

        assertThat(get("/api/cameras/nobody/snapshot").statusCode()).isEqualTo(404);

        JsonNode cameras = getJson("/api/cameras");
        assertThat(cameras).extracting(c -> c.get("cameraId").asText() + ":" + c.path("frameId").asText())
                .containsExactly("door:tf-mtcnn-test", "lobby:solvay-1927");
    }

    @Test
    @Order(2)
    void eachEventLinksToItsOwnAnnotatedFrame() throws Exception {
        Path assets = CommandRun.assets();
        for (String[] camera : new String[][] {{"lobby", "solvay-1927"}, {"door", "tf-mtcnn-test"}}) {
            JsonNode event = getJson("/api/events?camera=" + camera[0]).get(0);
            String eventId = event.get("eventId").asText();
            assertThat(event.get("snapshotUrl").asText()).isEqualTo("/api/cameras/" + camera[0] + "/snapshots/" + eventId);

            HttpResponse<byte[]> response = http.send(request(event.get("snapshotUrl").asText()),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Event-Id")).hasValue(eventId);
            assertThat(response.headers().firstValue("X-Frame-Id")).hasValue(camera[1]);
            byte[] body = response.body();
            boolean png = body.length > 8 && (body[0] & 0xff) == 0x89 && body[1] == 'P' && body[2] == 'N' && body[3] == 'G';
            boolean jpeg = body.length > 3 && (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xd8;
            assertThat(png || jpeg).as("PNG or JPEG signature").isTrue();
            assertThat(response.headers().firstValue("Content-Type")).hasValue(png ? "image/png" : "image/jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(body));
            BufferedImage original = ImageIO.read(assets.resolve("images/" + camera[1] + ".jpg").toFile());
            assertThat(image.getWidth()).isEqualTo(original.getWidth());
            assertThat(image.getHeight()).isEqualTo(original.getHeight());
        }
        JsonNode everyCamera = getJson("/api/events");
        assertThat(everyCamera).allSatisfy(e -> assertThat(e.get("snapshotUrl").asText())
                .endsWith("/snapshots/" + e.get("eventId").asText()));

        HttpResponse<String> unknown = get("/api/cameras/lobby/snapshots/no-such-event");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("no-such-event");
        String doorEvent = getJson("/api/events?camera=door").get(0).get("eventId").asText();
        assertThat(get("/api/cameras/lobby/snapshots/" + doorEvent).statusCode())
                .as("an event of another camera").isEqualTo(404);
    }

    @Test
    @Order(3)
    void countsPerCameraOverTheLastMinuteAndHourArePublishedToTheStatsTopicToo() throws Exception {
        JsonNode lobby = getJson("/api/cameras/lobby/counts");
        assertThat(lobby.at("/lastHour/events").asLong()).isEqualTo(1);
        assertThat(lobby.at("/lastHour/faces").asLong()).isEqualTo(29);
        assertThat(lobby.at("/hour/faces").asLong() + earlierHourFaces(lobby)).isEqualTo(29);
        JsonNode door = getJson("/api/cameras/door/counts");
        assertThat(door.at("/lastHour/events").asLong()).isEqualTo(1);
        assertThat(door.at("/lastHour/faces").asLong()).isEqualTo(6);

        List<JsonNode> stats = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stats-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("sightline.stats"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && stats.stream().noneMatch(s -> isLobbyMinute(s))) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    stats.add(JSON.readTree(record.value()));
                }
            }
        }
        assertThat(stats).filteredOn(DashboardTest::isLobbyMinute).last()
                .satisfies(s -> assertThat(s.get("faces").asLong()).isEqualTo(29));
    }

    /** The Solvay event's hour window is the current one unless the test straddled the full hour. */
    private long earlierHourFaces(JsonNode counts) {
        Instant hourStart = Instant.parse(counts.at("/hour/windowStart").asText());
        return startedAt.isBefore(hourStart) ? 29 - counts.at("/hour/faces").asLong() : 0;
    }

    private static boolean isLobbyMinute(JsonNode stat) {
        return stat.get("cameraId").asText().equals("lobby") && stat.get("window").asText().equals("1m")
                && stat.get("faces").asLong() == 29;
    }

    @Test
    @Order(4)
    void serverSentEventsDeliverANewDetectionAndAnAlertFromATopicCreatedLater() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        // Read on a thread of its own: blocking in a completion stage could stall the client's selector.
        Thread reader = new Thread(() -> {
            try {
                var sse = HttpRequest.newBuilder(dashboard.url().resolve("/api/stream"))
                        .header("Accept", "text/event-stream").build();
                http.send(sse, HttpResponse.BodyHandlers.ofLines()).body().forEach(lines::add);
            } catch (Exception e) {
                lines.add("failed: " + e);
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "event: health", Duration.ofSeconds(10)); // pushed every 2 s: the stream is open
            produce("sightline.detections", "porch", event("porch", 3));
            awaitLine(lines, "event: detection", Duration.ofSeconds(20));
            String data = awaitLine(lines, "data:", Duration.ofSeconds(5));
            assertThat(data).contains("\"cameraId\":\"porch\"").contains("\"frameId\":\"porch-frame\"");

            // The alerts topic did not exist when the dashboard started.
            produce("sightline.alerts", "lobby", "{\"message\":\"crowd of 29 in lobby\"}".getBytes(StandardCharsets.UTF_8));
            awaitLine(lines, "event: alert", Duration.ofSeconds(30));
            assertThat(awaitLine(lines, "data:", Duration.ofSeconds(5))).contains("crowd of 29 in lobby");
            assertThat(getJson("/api/alerts").get(0).at("/value/message").asText()).isEqualTo("crowd of 29 in lobby");
        } finally {
            reader.interrupt();
        }
    }

    @Test
    @Order(5)
    void healthAndPrometheusMetricsReflectThePipeline() throws Exception {
        // The lag is sampled every 5 s: wait for a sample taken after the processor's last commit.
        awaitJson("/api/health", h -> h.get("processorLag").isNumber() && h.get("processorLag").asLong() == 0,
                Duration.ofSeconds(20));
        JsonNode health = getJson("/api/health");
        assertThat(health.get("streamsState").asText()).isEqualTo("RUNNING");
        assertThat(health.at("/deadLettersByReason/IMAGE_DECODE").asInt()).isEqualTo(1);
        assertThat(health.get("instances")).hasSize(1);

        String metrics = get("/metrics").body();
        assertThat(counter(metrics, "sightline_frames_processed_total{camera=\"lobby\"")).isEqualTo(1);
        assertThat(counter(metrics, "sightline_inference_runs_total{")).isGreaterThanOrEqualTo(2);
        assertThat(counter(metrics, "sightline_dead_letters_total{")).isEqualTo(1);
        assertThat(metrics).contains("sightline_stage_latency_seconds_bucket{").contains("stage=\"inference\"")
                .contains("jvm_memory_used_bytes").contains("kafka_stream_thread_process_total")
                .contains("sightline_native_memory_bytes");
    }

    /** The sum of every sample of a counter whose line starts with {@code prefix}. */
    private static double counter(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(5)
    void zoneRecordsOnTheAlertsTopicAreCountedPerCameraAndShownInWords() throws Exception {
        var outputs = cluster.serdes().serializer(UdfOutputRecord.class);
        for (String json : List.of("{\"kind\":\"line-cross\",\"line\":\"aisle\",\"direction\":\"left-to-right\",\"trackId\":7}",
                "{\"kind\":\"line-cross\",\"line\":\"aisle\",\"direction\":\"left-to-right\",\"trackId\":8}",
                "{\"kind\":\"zone-enter\",\"zone\":\"front row\",\"trackId\":7}")) {
            UdfOutputRecord record = UdfOutputRecord.newBuilder().setEventId("e").setCameraId("lobby").setFrameId("f")
                    .setCapturedAt(Instant.now()).setOutput("alerts").setContentType("application/json")
                    .setPayload(java.nio.ByteBuffer.wrap(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .setUdf(io.sightline.schemas.avro.UdfRef.newBuilder().setName("zones").setVersion("1")
                            .setSha256(LOBBY_ZONES.sha256()).build())
                    .build();
            produce("sightline.alerts", "lobby", outputs.serialize("sightline.alerts", record));
        }

        JsonNode counts = awaitJson("/api/cameras/lobby/zones",
                answer -> answer.at("/lastHour/aisle/left-to-right").asInt() == 2, Duration.ofSeconds(30));
        assertThat(counts.at("/lastHour/front row/enter").asInt()).isEqualTo(1);
        assertThat(counts.at("/hour/counts/aisle/left-to-right").asInt()).isEqualTo(2);
        assertThat(counts.at("/geometry/lines/0/name").asText()).isEqualTo("aisle");
        JsonNode alerts = awaitJson("/api/alerts", list -> list.size() >= 3, Duration.ofSeconds(15));
        assertThat(alerts.get(0).at("/value/json/kind").asText()).isEqualTo("zone-enter");
    }

    @Test
    @Order(6)
    void thePageShowsTheSolvayTileAndTheEventWith29Faces() throws Exception {
        Path screenshot = Path.of("target", "dashboard-screenshot.png");
        try (HeadlessChromium chromium = HeadlessChromium.start(1440, 900)) {
            chromium.open(dashboard.url());
            chromium.waitUntil("[...document.querySelectorAll('.tile[data-camera=\"lobby\"] img')]"
                    + ".some(i => i.complete && i.naturalWidth === 960)", Duration.ofSeconds(30));
            chromium.waitUntil("[...document.querySelectorAll('#events tr')]"
                    + ".some(r => r.cells[1].textContent === 'lobby' && r.cells[2].textContent === '29')",
                    Duration.ofSeconds(30));
            chromium.waitUntil("document.getElementById('live').classList.contains('on')", Duration.ofSeconds(10));
            Thread.sleep(2500); // one health push and the charts drawn
            assertThat(chromium.evaluate("document.getElementById('dlq').textContent").asText()).isEqualTo("1");
            assertThat(chromium.evaluate("document.querySelectorAll('.tile').length").asInt()).isGreaterThanOrEqualTo(2);
            chromium.waitUntil("!document.querySelector('.tile[data-camera=\"door\"] .clock').classList.contains('hidden')",
                    Duration.ofSeconds(15));
            assertThat(chromium.evaluate("document.querySelector('.tile[data-camera=\"door\"] .clock').textContent")
                    .asText()).isEqualTo("clock 3.0 h ahead");
            assertThat(chromium.evaluate("document.querySelector('.tile[data-camera=\"lobby\"] .clock')"
                    + ".classList.contains('hidden')").asBoolean()).as("the lobby camera's clock is right").isTrue();
            // Every face of the lobby carries its track id over the snapshot, with the camera's zone and line.
            assertThat(chromium.evaluate("document.querySelector('.tile[data-camera=\"lobby\"] .faces').textContent")
                    .asText()).isEqualTo("29 faces · 29 tracks");
            assertThat(chromium.evaluate("document.querySelectorAll('.tile[data-camera=\"lobby\"] .overlay .track-id')"
                    + ".length").asInt()).isEqualTo(29);
            assertThat(chromium.evaluate("document.querySelectorAll('.tile[data-camera=\"lobby\"] .overlay polygon')"
                    + ".length + ',' + document.querySelectorAll('.tile[data-camera=\"lobby\"] .overlay line').length")
                    .asText()).isEqualTo("1,1");
            chromium.waitUntil("document.querySelector('.tile[data-camera=\"lobby\"] .zone-counts').textContent"
                    + ".includes('aisle → 2')", Duration.ofSeconds(20));
            assertThat(chromium.evaluate("document.getElementById('alert-list').textContent").asText())
                    .contains("aisle crossed left-to-right · #7").contains("entered front row · #7");
            chromium.screenshot(screenshot);

            // A click on the door event opens that event's own annotated frame.
            chromium.evaluate("[...document.querySelectorAll('#events tr')]"
                    + ".find(r => r.cells[1].textContent === 'door').click()");
            chromium.waitUntil("!document.getElementById('viewer').classList.contains('hidden')"
                    + " && document.getElementById('viewer-img').complete"
                    + " && document.getElementById('viewer-img').naturalWidth > 0", Duration.ofSeconds(15));
            String doorEvent = getJson("/api/events?camera=door").get(0).get("eventId").asText();
            assertThat(chromium.evaluate("document.getElementById('viewer-img').src").asText())
                    .endsWith("/api/cameras/door/snapshots/" + doorEvent);
            BufferedImage door = ImageIO.read(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg").toFile());
            assertThat(chromium.evaluate("document.getElementById('viewer-img').naturalWidth").asInt())
                    .isEqualTo(door.getWidth());
            assertThat(chromium.evaluate("document.getElementById('viewer-meta').textContent").asText())
                    .contains(doorEvent).contains("6 faces");
        }
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertThat(shot.getWidth()).isEqualTo(1440);
    }

    @Test
    @Order(7)
    void twoInstancesAnswerForCamerasOwnedByEitherOne() throws Exception {
        String[] cameras = {cameraOnPartition(0), cameraOnPartition(1)};
        for (String camera : cameras) {
            produce("sightline.detections", camera, event(camera, 4));
        }
        try (Dashboard second = Dashboard.start(dashboardConfig(0))) {
            second.awaitRunning(Duration.ofSeconds(60));
            URI[] instances = {dashboard.url(), second.url()};
            List<String> owners = new ArrayList<>();
            for (String camera : cameras) {
                for (URI instance : instances) {
                    HttpResponse<String> response = awaitOk(instance.resolve("/api/events?camera=" + camera));
                    JsonNode events = JSON.readTree(response.body());
                    assertThat(events).as("events of %s asked at %s", camera, instance).hasSize(1);
                    assertThat(events.get(0).get("faces")).hasSize(4);
                    owners.add(camera + "@" + response.headers().firstValue("X-Sightline-Instance").orElseThrow());
                }
            }
            // Each camera is answered by one owner whichever instance is asked, and the two cameras have different
            // owners: so each instance relayed one request to the other.
            assertThat(owners.get(0)).isEqualTo(owners.get(1));
            assertThat(owners.get(2)).isEqualTo(owners.get(3));
            String owner0 = owners.get(0).substring(owners.get(0).indexOf('@') + 1);
            String owner1 = owners.get(2).substring(owners.get(2).indexOf('@') + 1);
            assertThat(owner0).isNotEqualTo(owner1);
            assertThat(List.of(owner0, owner1)).containsExactlyInAnyOrder(
                    dashboard.url().getAuthority(), second.url().getAuthority());

            // Each camera's recent snapshots live with its owner: an older event's image (not the latest one) is
            // served whichever instance is asked, by the instance that answered for the camera's events.
            for (int i = 0; i < cameras.length; i++) {
                String camera = cameras[i];
                produce("sightline.annotated", camera, annotated(camera, camera + "-first", 40 + i));
                produce("sightline.annotated", camera, annotated(camera, camera + "-second", 80));
                for (URI instance : instances) {
                    URI url = instance.resolve("/api/cameras/" + camera + "/snapshots/" + camera + "-first");
                    HttpResponse<byte[]> image = awaitImage(url);
                    assertThat(image.headers().firstValue("X-Event-Id")).hasValue(camera + "-first");
                    assertThat(image.headers().firstValue("X-Sightline-Instance"))
                            .hasValue(owners.get(2 * i).substring(owners.get(2 * i).indexOf('@') + 1));
                    assertThat(ImageIO.read(new ByteArrayInputStream(image.body())).getWidth()).isEqualTo(40 + i);
                }
            }
        }
    }

    /** An annotated PNG of {@code width} × 30 pixels for event {@code eventId}. */
    private byte[] annotated(String camera, String eventId, int width) throws Exception {
        var png = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, 30, BufferedImage.TYPE_INT_RGB), "png", png);
        AnnotatedFrame frame = AnnotatedFrame.newBuilder().setCameraId(camera).setFrameId(eventId + "-frame")
                .setEventId(eventId).setCapturedAt(Instant.now()).setEncoding(ImageEncoding.PNG).setWidth(width)
                .setHeight(30).setImage(java.nio.ByteBuffer.wrap(png.toByteArray())).build();
        return cluster.serdes().serializer(AnnotatedFrame.class).serialize("sightline.annotated", frame);
    }

    /** GET an image until it answers 200: the annotated record may not be read yet. */
    private HttpResponse<byte[]> awaitImage(URI uri) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        HttpResponse<byte[]> response;
        do {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                return response;
            }
            Thread.sleep(300);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(uri + " answered " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String cameraOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String camera = "cam-" + i;
            if (Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return camera;
            }
        }
    }

    private byte[] event(String camera, int faces) {
        List<FaceDetection> found = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            found.add(FaceDetection.newBuilder().setBox(new Box(10f * i, 10f, 10f * i + 8, 18f)).setScore(0.99f)
                    .setLandmarks(List.of()).build());
        }
        Instant now = Instant.now();
        DetectionEvent event = DetectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setCameraId(camera).setFrameId(camera + "-frame")
                .setCapturedAt(now).setProcessedAt(now).setImageWidth(640).setImageHeight(480).setFaces(found)
                .setModel(new ModelRef("mtcnn", "test", "0".repeat(64)))
                .setUdf(new UdfRef("face-annotate", "test", "0".repeat(64)))
                .setTimings(new Timings(1.0, 2.0, 30.0, 40.0, 1)).setAnnotated(AnnotatedImageStatus.NONE)
                .build();
        return cluster.serdes().serializer(DetectionEvent.class).serialize("sightline.detections", event);
    }

    private void produce(String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout);
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(dashboard.url().resolve(path)).timeout(Duration.ofSeconds(30)).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = awaitOk(dashboard.url().resolve(path));
        return JSON.readTree(response.body());
    }

    /** GET until it answers 200: right after a start or rebalance the stores answer 503 for a moment. */
    private HttpResponse<String> awaitOk(URI uri) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> response;
        do {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 503) {
                break;
            }
            Thread.sleep(300);
        } while (Instant.now().isBefore(deadline));
        assertThat(response.statusCode()).as("%s answered %s", uri, response.body()).isEqualTo(200);
        return response;
    }

    private JsonNode awaitJson(String path, java.util.function.Predicate<JsonNode> ready, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get(path);
            if (response.statusCode() == 200 && ready.test(JSON.readTree(response.body()))) {
                return JSON.readTree(response.body());
            }
            Thread.sleep(500);
        }
        throw new AssertionError(path + " never became ready: " + get(path).body());
    }
}
