package io.sightline.udf.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts a thread that overstays its time budget inside a Wasm call. Compiled Chicory code polls the thread's
 * interrupt flag in loops and calls, so an interrupt ends a runaway UDF within milliseconds. One watchdog thread
 * serves every instance of a runtime.
 */
public final class Watchdog implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;

    public Watchdog(String name) {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        // Almost every alarm is cancelled; without this they would pile up in the queue until their deadline.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Starts timing the calling thread. */
    public Watch start(Duration budget) {
        return new Watch(Thread.currentThread(), budget.toNanos());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /**
     * The budget of one call. The clock can be paused while the host works on the guest's behalf (inference), so
     * the budget measures the UDF alone. Methods other than the alarm run on the watched thread.
     */
    public final class Watch {

        private final Thread thread;
        private long remainingNanos;
        private long runningSince;
        private ScheduledFuture<?> alarm;
        // Each resume arms a new alarm; an alarm of an earlier generation that fires late must not interrupt.
        private int generation;
        private boolean expired;
        private boolean stopped;

        private Watch(Thread thread, long budgetNanos) {
            this.thread = thread;
            this.remainingNanos = budgetNanos;
            resume();
        }

        public synchronized void pause() {
            if (alarm != null) {
                alarm.cancel(false);
                alarm = null;
                remainingNanos -= System.nanoTime() - runningSince;
            }
        }

        public synchronized void resume() {
            if (alarm == null && !stopped) {
                runningSince = System.nanoTime();
                int armed = ++generation;
                alarm = scheduler.schedule(() -> expire(armed), Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
            }
        }

        /**
         * Ends the watch; true when the budget ran out. The interrupt it sent is cleared here, under the same lock
         * that sent it, so no stray interrupt reaches the thread's next task.
         */
        public synchronized boolean stop() {
            pause();
            stopped = true;
            if (expired) {
                Thread.interrupted();
            }
            return expired;
        }

        private synchronized void expire(int armed) {
            if (armed == generation && alarm != null && !stopped) {
                expired = true;
                thread.interrupt();
            }
        }
    }
}
