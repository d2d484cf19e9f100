package io.sightline.app;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A progress line on stderr once a second: rewritten in place ({@code \r}) on a terminal, one plain line per second
 * otherwise, so logs and pipes get readable lines.
 */
final class Progress implements AutoCloseable {

    private final PrintWriter err;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sightline-progress");
        t.setDaemon(true);
        return t;
    });
    private boolean printed;

    Progress(PrintWriter err, Supplier<String> line) {
        this.err = err;
        this.terminal = System.console() != null;
        timer.scheduleAtFixedRate(() -> print(line.get()), 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void print(String line) {
        if (terminal) {
            err.print("\r" + line + "\u001B[K");
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    /** Stops the line; on a terminal ends it so the summary starts on a line of its own. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (terminal && printed) {
                err.println();
                err.flush();
            }
        }
    }
}
