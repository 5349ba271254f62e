package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Ends blocking operations on JDK channels that outlive their deadline, by closing the channel: a
 * blocking {@link java.nio.channels.SocketChannel} has no time limit of its own. One daemon
 * platform thread, started with the first alarm, waits for the earliest alarm in Java (parked, not
 * in a native call, so the JVM's exit does not wait for it).
 */
final class Watchdog {
    private static final DelayQueue<Alarm> ALARMS = new DelayQueue<>();
    private static final Alarm NONE = new Alarm(Long.MAX_VALUE, null);
    private static boolean started;

    private Watchdog() {}

    /**
     * An alarm that runs {@code onExpiry} once {@code deadline} passes, unless it is
     * {@linkplain Alarm#disarm() disarmed} first; for {@link Deadline#none()}, one that never goes off.
     */
    static Alarm arm(Deadline deadline, Runnable onExpiry) {
        if (deadline.isNone()) {
            return NONE;
        }
        Alarm alarm = new Alarm(System.nanoTime() + deadline.remainingNanos(), onExpiry);
        start();
        ALARMS.add(alarm);
        return alarm;
    }

    private static synchronized void start() {
        if (!started) {
            started = true;
            Thread.ofPlatform().name("vsockexec-watchdog").daemon().start(Watchdog::loop);
        }
    }

    private static void loop() {
        while (true) {
            try {
                ALARMS.take().fire();
            } catch (InterruptedException e) {
                // nobody interrupts this thread; wait on
            }
        }
    }

    /** One operation's deadline. */
    static final class Alarm implements Delayed {
        private final long atNanos;
        private final Runnable onExpiry;
        private volatile boolean fired;

        private Alarm(long atNanos, Runnable onExpiry) {
            this.atNanos = atNanos;
            this.onExpiry = onExpiry;
        }

        /** Called when the operation ended: the alarm does not go off any more. */
        void disarm() {
            if (this != NONE) {
                ALARMS.remove(this);
            }
        }

        /** True when the deadline passed and the alarm went off: the operation was ended by it. */
        boolean fired() {
            return fired;
        }

        private void fire() {
            fired = true;
            onExpiry.run();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(atNanos, ((Alarm) other).atNanos);
        }
    }
}
