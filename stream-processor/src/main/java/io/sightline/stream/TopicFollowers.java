package io.sightline.stream;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;

/** What the threads following a control topic (UDF deployments, model activations) share. */
final class TopicFollowers {

    private TopicFollowers() {}

    /**
     * Wakes {@code consumer} out of its poll, waits up to {@code wait} for {@code thread} (null when it never started)
     * to finish, then closes the consumer.
     */
    static void stop(Thread thread, Consumer<?, ?> consumer, Duration wait) {
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close();
    }
}
