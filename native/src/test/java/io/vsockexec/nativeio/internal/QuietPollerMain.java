package io.vsockexec.nativeio.internal;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link PollerTest} in a JVM of its own, since quieting the pollers cannot be undone:
 * prints whether the read poller's thread existed before any wait, how its thread stood while a
 * virtual thread waited (in {@code epoll_wait}: RUNNABLE to Java), how it stands once quieted
 * (parked between looks: TIMED_WAITING at least sometimes), and whether a wait begun after
 * quieting is still served.
 */
public final class QuietPollerMain {
    private QuietPollerMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("before any wait: " + (pollerThread() != null ? "started" : "not started"));
        System.out.println("waiting: " + waitOnce(false));
        Poller.quietAll();
        System.out.println("quiet: " + waitOnce(true));
    }

    /** A virtual thread waits on a pipe; the poller's thread is sampled; a byte then wakes the reader. */
    private static String waitOnce(boolean expectNap) throws Exception {
        int[] fds = new int[2];
        if (ProcessLibc.pipe2(fds, Libc.O_CLOEXEC) < 0) {
            throw new IllegalStateException("pipe2 failed");
        }
        try (Descriptor reader = Descriptor.adopt(fds[0], "test pipe")) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    read.complete(reader.read(new byte[1], 0, 1, Deadline.after(Duration.ofSeconds(30))));
                } catch (Exception e) {
                    read.completeExceptionally(e);
                }
            });
            while (pollerThread() == null) {
                Thread.sleep(1);
            }
            Thread.sleep(100);
            String states = samples(expectNap);
            Libc.write(fds[1], MemorySegment.ofArray(new byte[] {42}));
            return states + ", read " + read.get(30, TimeUnit.SECONDS) + " byte";
        } finally {
            Libc.close(fds[1]);
        }
    }

    /** Whether any of 200 samples, a millisecond apart, found the poller's thread parked. */
    private static String samples(boolean expectNap) throws InterruptedException {
        Thread poller = pollerThread();
        boolean parked = false;
        for (int i = 0; i < 200 && !parked; i++) {
            parked = poller.getState() == Thread.State.TIMED_WAITING;
            Thread.sleep(1);
        }
        return parked ? "parked at times" : "never parked";
    }

    private static Thread pollerThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("vsockexec-poller-read")) {
                return t;
            }
        }
        return null;
    }
}
