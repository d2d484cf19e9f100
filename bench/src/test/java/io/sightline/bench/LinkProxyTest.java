package io.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The soak's stand-in for a site's uplink: bytes pass both ways; a cut drops live connections and refuses new ones. */
class LinkProxyTest {

    @Test
    void relaysBothWaysAndACutDropsAndRefusesUntilRestored() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> echoEachConnection(echo));
            server.setDaemon(true);
            server.start();
            int port = freePort();
            var listen = new InetSocketAddress("127.0.0.2", port);
            try (LinkProxy link = new LinkProxy(listen, new InetSocketAddress("127.0.0.1", echo.getLocalPort()));
                    Socket before = new Socket("127.0.0.2", port)) {
                assertThat(roundTrip(before, "hello")).isEqualTo("hello");

                link.cut();

                assertThat(before.getInputStream().read()).as("a live connection is dropped").isEqualTo(-1);
                assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(IOException.class);
                link.restore();
                try (Socket after = new Socket("127.0.0.2", port)) {
                    assertThat(roundTrip(after, "again")).isEqualTo("again");
                }
            }
        }
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] back = socket.getInputStream().readNBytes(text.length());
        return new String(back, StandardCharsets.UTF_8);
    }

    private static void echoEachConnection(ServerSocket echo) {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread thread = new Thread(() -> {
                    try (socket; InputStream in = socket.getInputStream()) {
                        in.transferTo(socket.getOutputStream());
                    } catch (IOException closed) {
                        // the proxy dropped it
                    }
                });
                thread.setDaemon(true);
                thread.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
