package io.vsockexec.base;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * A point in time by which a blocking operation must finish, or the explicit absence of one.
 *
 * <p>There is no "zero means forever" convention: code that does not want a deadline says
 * {@link #none()}. Deadlines are measured on {@link System#nanoTime()}, so wall-clock changes do
 * not move them.
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(0L, null);

    private final long expiresAtNanos;
    private final Duration budget;

    private Deadline(long expiresAtNanos, Duration budget) {
        this.expiresAtNanos = expiresAtNanos;
        this.budget = budget;
    }

    /** No deadline: the operation may block until it completes or its resource is closed. */
    public static Deadline none() {
        return NONE;
    }

    /**
     * A deadline {@code timeout} from now.
     *
     * @throws IllegalArgumentException if the timeout is negative
     */
    public static Deadline after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return new Deadline(System.nanoTime() + saturatedNanos(timeout), timeout);
    }

    /** True for {@link #none()}. */
    public boolean isNone() {
        return budget == null;
    }

    /** Nanoseconds left, zero when passed, {@link Long#MAX_VALUE} for {@link #none()}. */
    public long remainingNanos() {
        if (isNone()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0L, expiresAtNanos - System.nanoTime());
    }

    /** True once the deadline has passed; never true for {@link #none()}. */
    public boolean hasPassed() {
        return !isNone() && expiresAtNanos - System.nanoTime() <= 0;
    }

    /** Whichever of the two deadlines comes first. */
    public Deadline earliest(Deadline other) {
        if (other.isNone()) {
            return this;
        }
        if (isNone()) {
            return other;
        }
        return expiresAtNanos - other.expiresAtNanos <= 0 ? this : other;
    }

    /** The duration this deadline was created with, for messages; null for {@link #none()}. */
    public Duration budget() {
        return budget;
    }

    /**
     * The exception for an operation this deadline cut short, with the one message every timeout
     * in this project has: {@code OPERATION TARGET: timed out after BUDGET}, for example
     * {@code read vsock://3:5000: timed out after 5s} ({@code OPERATION TARGET: timed out} for
     * {@link #none()}, which has no budget to name).
     *
     * @param operationAndTarget the operation and what it was applied to, e.g. {@code connect /run/vm.sock}
     */
    public SocketTimeoutException timedOut(String operationAndTarget) {
        return new SocketTimeoutException(operationAndTarget + ": timed out"
                + (isNone() ? "" : " after " + Durations.format(budget)));
    }

    @Override
    public String toString() {
        return isNone() ? "Deadline[none]" : "Deadline[" + budget + ", " + remainingNanos() + "ns left]";
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE / 2;
        }
    }
}
