package io.vsockexec.base;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each single operation (one read, one accept, one connect) may block, or {@link #NONE}.
 * A {@link Deadline} is made from it when the operation starts.
 */
public final class Timeout {
    /** No per-operation limit. */
    public static final Timeout NONE = new Timeout(null);

    private final Duration duration;

    private Timeout(Duration duration) {
        this.duration = duration;
    }

    /**
     * A per-operation timeout.
     *
     * @throws IllegalArgumentException if {@code duration} is zero or negative (use {@link #NONE})
     */
    public static Timeout of(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(
                    "timeout must be positive (use Timeout.NONE for no timeout): " + duration);
        }
        return new Timeout(duration);
    }

    /** True for {@link #NONE}. */
    public boolean isNone() {
        return duration == null;
    }

    /** The duration, or null for {@link #NONE}. */
    public Duration duration() {
        return duration;
    }

    /** The deadline for an operation that starts now. */
    public Deadline start() {
        return isNone() ? Deadline.none() : Deadline.after(duration);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeout t && Objects.equals(duration, t.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(duration);
    }

    @Override
    public String toString() {
        return isNone() ? "Timeout[none]" : "Timeout[" + duration + "]";
    }
}
