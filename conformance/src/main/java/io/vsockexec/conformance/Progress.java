package io.vsockexec.conformance;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Bulk work in a test, limited by its progress rather than by its duration: it fails only once
 * nothing has moved for {@link #STALL}, however long the whole takes on a busy machine, and it
 * prints how far it got every {@link #REPORT}, so that a console that stays silent means a stuck
 * run (how {@code scripts/vsock-e2e} tells one).
 */
final class Progress {
    /** How long nothing may move before the work counts as stuck. */
    static final Duration STALL = Duration.ofSeconds(60);
    /** How often the work's progress is printed. */
    static final Duration REPORT = Duration.ofSeconds(30);

    private Progress() {}

    /**
     * Runs {@code work} on a thread of its own and returns its result.
     *
     * @param what what the work is, for the progress lines and the failure
     * @param moved how far the work got (bytes, sessions); read now and then from this thread
     * @throws AssertionError if {@code moved} stays the same for {@link #STALL}
     */
    static <T> T watched(String what, LongSupplier moved, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = Thread.ofVirtual().name(what).start(task);
        long start = System.nanoTime();
        long lastMove = start;
        long lastReport = start;
        long last = moved.getAsLong();
        while (true) {
            try {
                return task.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException notYet) {
                // look at the progress
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case Exception ex -> throw ex;
                    case Error err -> throw err;
                    default -> throw e;
                }
            }
            long now = System.nanoTime();
            long m = moved.getAsLong();
            if (m != last) {
                last = m;
                lastMove = now;
            } else if (now - lastMove > STALL.toNanos()) {
                thread.interrupt();
                throw new AssertionError(what + ": nothing moved for " + STALL.toSeconds() + " s, at " + m);
            }
            if (now - lastReport > REPORT.toNanos()) {
                lastReport = now;
                System.out.println("  ... " + what + ": " + m + " after " + TimeUnit.NANOSECONDS.toSeconds(now - start) + " s");
            }
        }
    }
}
