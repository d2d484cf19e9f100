package io.sightline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay standing for the network between an edge site and the centre: while cut, every connection through it
 * is dropped and new ones are refused, as when a site's uplink goes down.
 */
final class LinkProxy implements AutoCloseable {

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean closed;

    LinkProxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.listen = listen;
        this.target = target;
        accept();
    }

    /** Drops every connection and refuses new ones until {@link #restore}. */
    synchronized void cut() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    synchronized void restore() throws IOException {
        accept();
    }

    private void accept() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(listen);
        server = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    relay(socket.accept());
                } catch (IOException stopped) {
                    return;
                }
            }
        }, "soak-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void relay(Socket client) throws IOException {
        Socket upstream;
        try {
            upstream = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
            client.close();
            return;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException dropped) {
                // the other side, or a cut
            } finally {
                close(from);
                close(to);
            }
        }, "soak-link-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            cut();
        }
    }
}
