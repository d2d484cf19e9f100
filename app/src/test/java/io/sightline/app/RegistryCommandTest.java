package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryCommandTest {

    @Test
    void unreachableKafkaStopsTheCommandWithOneLineSayingWhatToFix() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();

        CommandRun run = CommandRun.of("registry", "--bootstrap-servers", "127.0.0.1:" + closedPort,
                "--port", "0", "--kafka-timeout", "2");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).doesNotContain("\n").isEqualTo("sightline registry: Kafka at 127.0.0.1:"
                + closedPort + " did not answer within 2 s (TimeoutException): start the broker or fix "
                + "--bootstrap-servers");
    }

    @Test
    void helpNamesTheStateTopicAndTheOptions() {
        CommandRun run = CommandRun.of("registry", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("_schemas", "--bootstrap-servers", "--port", "--bind", "--json");
    }
}
