package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.ConnectFailedException;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.Readiness;
import io.vsockexec.client.VsockExecClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Row 4: many streaming sessions at once, each output checked byte for byte, and the agent's
 * peak resident memory.
 */
final class Concurrency {
    static final long PEAK_RSS_LIMIT_KIB = 256 * 1024;
    static final String TARGET_TEXT = "every output exact; peak RSS <= " + Figures.size(PEAK_RSS_LIMIT_KIB * 1024);
    private static final Duration LIMIT = Duration.ofMinutes(5);
    /**
     * A connect refused under the burst is tried again, as a host would: an emulated hybrid VM,
     * like Firecracker, closes connections beyond its accept queue. Backing off as
     * {@link Readiness} does (10 ms doubling to 200 ms), for at most this long.
     */
    private static final Duration CONNECT_PATIENCE = Duration.ofMinutes(2);

    private Concurrency() {}

    /** The agent's {@code --max-sessions} for this row: every session at once, and some room. */
    static int maxSessions(BenchSizes sizes) {
        return sizes.sessions() + 64;
    }

    static Row measure(VsockExecClient client, AgentProcess agent, BenchSizes sizes) throws IOException {
        Command command = Command.argv("seq", "1", String.valueOf(sizes.seqCount()));
        byte[] expected = expected(sizes.seqCount());
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger exact = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sizes.sessions(); i++) {
            threads.add(Thread.ofVirtual().name("bench session " + i).start(() -> {
                try {
                    go.await();
                    if (runOne(client, command, expected, retries)) {
                        exact.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, "an output differed from seq's");
                    }
                } catch (IOException | RuntimeException e) {
                    firstFailure.compareAndSet(null, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        join(threads, LIMIT, "the sessions");
        long peakKib = agent.peakRssKib();
        boolean allExact = exact.get() == sizes.sessions();
        String figure = exact.get() + "/" + sizes.sessions() + " outputs exact, agent peak RSS "
                + Figures.kibAsMib(peakKib) + (retries.get() > 0 ? ", " + retries.get() + " connects retried" : "")
                + (firstFailure.get() != null ? "; first failure: " + firstFailure.get() : "");
        Verdict verdict = Verdict.all(Verdict.of(allExact), Verdict.atMost(peakKib, PEAK_RSS_LIMIT_KIB));
        return new Row(4, sizes.sessions() + " concurrent streaming sessions of `seq 1 " + sizes.seqCount() + "`",
                figure, Row.NONE, Row.NONE, TARGET_TEXT, verdict);
    }

    private static boolean runOne(VsockExecClient client, Command command, byte[] expected, AtomicInteger retries)
            throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + CONNECT_PATIENCE.toNanos();
        Duration pause = Readiness.FIRST_BACKOFF;
        while (true) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(expected.length);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                ExecStatus status = client.stream(command, out, err);
                return status.exitCode() == 0 && err.size() == 0 && Arrays.equals(out.toByteArray(), expected);
            } catch (ConnectFailedException e) {
                if (System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                retries.incrementAndGet();
                Thread.sleep(pause);
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(Readiness.MAX_BACKOFF) > 0 ? Readiness.MAX_BACKOFF : doubled;
            }
        }
    }

    /** What {@code seq 1 n} prints. */
    static byte[] expected(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Waits until {@code threads} have finished, all within {@code limit}; if they have not by
     * then, interrupts them and fails, naming them as {@code what}.
     */
    static void join(List<Thread> threads, Duration limit, String what) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    threads.forEach(Thread::interrupt);
                    throw new IOException(what + " did not finish within " + limit.toMinutes() + " minutes");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
