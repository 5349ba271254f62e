package io.vsockexec.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the transport tests. */
final class TestIo {
    /** Generous: only a broken test waits this long. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private TestIo() {}

    static Deadline patience() {
        return Deadline.after(PATIENCE);
    }

    /** Runs {@code task} on a virtual thread of its own (not the common pool: one thread on two cores). */
    static <T> Background<T> start(Callable<T> task) {
        return new Background<>(task);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads exactly {@code n} bytes, failing on an early end of stream. */
    static String readExactly(InputStream in, int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        assertThat(buf).as("bytes before end of stream").hasSize(n);
        return new String(buf, StandardCharsets.UTF_8);
    }

    static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A task on its own virtual thread. */
    static final class Background<T> {
        private final FutureTask<T> task;
        private final Thread thread;

        private Background(Callable<T> callable) {
            task = new FutureTask<>(callable);
            thread = Thread.ofVirtual().start(task);
        }

        /** The task's result; fails the test if it takes longer than {@link #PATIENCE}. */
        T result() throws Exception {
            try {
                return task.get(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        /** What the task threw; fails the test if it returned normally or took too long. */
        Throwable failure() throws Exception {
            try {
                T value = task.get(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
                throw new AssertionError("expected a failure, got " + value);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }

        /** Interrupts the task's thread. */
        void interrupt() {
            thread.interrupt();
        }

        /** Waits until the task is blocked (parked) or done. */
        Background<T> awaitParked() throws InterruptedException {
            TestIo.awaitParked(thread);
            return this;
        }
    }

    /**
     * Waits until {@code thread} is parked (blocked in a read, accept or the like), so that a test of
     * "close wakes a blocked call" really closes under a blocked call. Gives up after
     * {@link #PATIENCE}, which makes the test fail on its later assertion rather than hang.
     */
    static void awaitParked(Thread thread) throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < end) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.TERMINATED) {
                return;
            }
            Thread.sleep(1);
        }
    }
}
