package io.vsockexec.transport;

import io.vsockexec.base.Durations;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What an accept loop does when accept fails, shared by every thread that accepts on one
 * listener: the loop goes on, whatever failed.
 *
 * <ul>
 *   <li>A failure that belongs to one connection (it was reset or aborted before accept took it,
 *       a firewall refused it) is skipped at once: the next connection is unaffected.
 *   <li>Anything else, above all running out of descriptors, memory or socket buffers (EMFILE,
 *       ENFILE, ENOMEM, ENOBUFS, an {@link OutOfMemoryError}), pauses the thread before its next
 *       attempt, doubling from {@link #FIRST_PAUSE} up to {@link #LONGEST_PAUSE} while attempts keep
 *       failing. Waiting connections stay in the kernel's backlog meanwhile, and the listener
 *       keeps its socket file.
 * </ul>
 * The first such failure of an <em>episode</em> is one warning line; an episode lasts until an
 * attempt succeeds and {@link #QUIET} passes without a failure, so resources that come and go
 * (a descriptor freed, taken again at once) make one warning, not one per flap. Each recovery is
 * a debug line, with how many attempts failed and for how long.
 */
public final class AcceptRetry {
    /** The pause after the first failure of an episode. */
    public static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    /** The longest pause: how long resources that came back may go unnoticed. */
    public static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
    /** How long without a failure ends an episode: a later failure is a new warning. */
    public static final Duration QUIET = Duration.ofMinutes(1);

    private final String target;
    private final Log log;
    /** Made up front: at the time it is needed, there may be no descriptor left to load a class with. */
    private final String retrying;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: failures since the last success. */
    private long failures;
    /** Guarded by {@link #lock}: when the first of them happened, on the nanoTime clock. */
    private long since;
    /** Guarded by {@link #lock}: whether any failure was seen, and when the last one was. */
    private boolean failedBefore;
    private long lastFailure;

    /**
     * @param target what is accepted on, for the log line ({@code unix:///run/a.sock})
     * @param log where the episode's line goes
     */
    public AcceptRetry(String target, Log log) {
        this.target = Objects.requireNonNull(target, "target");
        this.log = Objects.requireNonNull(log, "log");
        this.retrying = "; retrying, with pauses of up to " + Durations.format(LONGEST_PAUSE) + ", until it works again";
        describe(ErrnoException.of("accept", target, Errno.EMFILE)); // loads what a warning needs, now
    }

    /**
     * Takes a failed accept: skips a failure of one connection, or logs the start of an episode
     * and pauses the calling thread (an interrupt ends the pause early and stays set). Never
     * throws: with no descriptor or memory left, even a log line may fail, and the loop must go on.
     */
    public void failed(Throwable failure) {
        long pauseNanos = LONGEST_PAUSE.toNanos();
        try {
            if (concernsOneConnection(failure)) {
                log.debug(() -> "accept on " + target + ": skipped a connection: " + failure.getMessage());
                return;
            }
            pauseNanos = startOrContinueEpisode(failure);
        } catch (Throwable whileReporting) {
            // The pause below still spaces the attempts out.
        }
        LockSupport.parkNanos(pauseNanos);
    }

    /** Counts the failure, logging the first of an episode; the pause before the next attempt. */
    private long startOrContinueEpisode(Throwable failure) {
        lock.lock();
        try {
            long now = System.nanoTime();
            boolean newEpisode = !failedBefore || now - lastFailure > QUIET.toNanos();
            failedBefore = true;
            lastFailure = now;
            if (failures++ == 0) {
                since = now;
            }
            if (newEpisode) {
                log.warning("accept on " + target + " failed: " + describe(failure) + retrying);
            }
            return pauseNanos(failures);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a successful accept: the next failure pauses briefly again. */
    public void succeeded() {
        lock.lock();
        try {
            if (failures == 0) {
                return;
            }
            long n = failures;
            Duration lasted = Duration.ofNanos(System.nanoTime() - since);
            failures = 0;
            log.debug(() -> "accept on " + target + " works again, after " + n + " failed attempts in "
                    + Durations.format(lasted));
        } finally {
            lock.unlock();
        }
    }

    /** The pause after the {@code n}th failure of an episode: 10 ms, 20 ms, ... 1 s, 1 s, ... */
    static long pauseNanos(long n) {
        long first = FIRST_PAUSE.toNanos();
        long longest = LONGEST_PAUSE.toNanos();
        int doublings = (int) Math.min(n - 1, 20);
        return Math.min(longest, first << doublings);
    }

    /** Errors of accept(2) that belong to the connection being accepted, not to the listener. */
    private static boolean concernsOneConnection(Throwable failure) {
        if (!(failure instanceof ErrnoException e)) {
            return false;
        }
        int errno = e.errno();
        return errno == Errno.ECONNABORTED || errno == Errno.ECONNRESET || errno == Errno.EPROTO
                || errno == Errno.EPERM;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ErrnoException e) {
            return ErrnoException.errnoText(e.errno());
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
