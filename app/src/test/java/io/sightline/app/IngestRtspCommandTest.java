package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.ingest.RtspTestServer;
import io.sightline.ingest.TestVideos;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ingest rtsp` from GStreamer's RTSP server streaming H.264, into the real broker; faces found in what arrived. */
class IngestRtspCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @TempDir
    static Path tmp;

    @Test
    void framesOfAnH264CameraArriveAndTheFacesInThemAreDetected() throws Exception {
        Path h264 = TestVideos.write(tmp.resolve("camera.mp4"), CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"),
                25, 20, "mp4", "libopenh264");
        try (var server = RtspTestServer.start(0, h264)) {
            CommandRun run = CommandRun.of("ingest", "rtsp", server.url(), "--bootstrap-servers",
                    cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(), "--camera", "lobby",
                    "--fps", "5", "--max-frames", "10", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("ingest rtsp: " + summary);
            assertThat(summary.get("published").asInt()).isEqualTo(10);
            assertThat(summary.get("rejected").asInt()).isZero();
            assertThat(summary.get("skippedOverFps").asInt()).as("25 fps camera limited to 5").isPositive();
        }
        List<Frame> frames = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), TOPICS.frames(),
                Frame.class).stream().map(ConsumerRecord::value).filter(f -> f.getCameraId().equals("lobby")).toList();
        assertThat(frames).hasSize(10);
        assertThat(frames).extracting(f -> f.getSource().getKind()).containsOnly("rtsp");
        List<String> files = new ArrayList<>();
        for (Frame frame : frames.subList(0, 3)) {
            Path file = tmp.resolve(frame.getFrameId() + ".jpg");
            ByteBuffer payload = frame.getPayload().duplicate();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            files.add(Files.write(file, bytes).toString());
        }
        List<String> args = new ArrayList<>(List.of("detect", "--json", "--assets", CommandRun.assets().toString()));
        args.addAll(files);
        CommandRun detect = CommandRun.of(args.toArray(String[]::new));

        assertThat(detect.exitCode()).as(detect.err()).isZero();
        List<JsonNode> results = DetectCommandTest.parseLines(detect.out());
        assertThat(results).hasSize(3);
        assertThat(results).allSatisfy(r -> assertThat(r.get("faces").size()).as("faces of tf-mtcnn-test.jpg")
                .isEqualTo(6));
    }

    @Test
    void anUnknownTransportIsRefusedWithWhatToFix() {
        CommandRun run = CommandRun.of("ingest", "rtsp", "rtsp://127.0.0.1:1/cam", "--rtsp-transport", "http",
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rtsp-transport must be tcp or udp, got 'http'");
    }
}
