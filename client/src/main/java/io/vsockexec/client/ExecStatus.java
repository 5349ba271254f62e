package io.vsockexec.client;

import io.vsockexec.base.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a streaming, pipe or terminal exec ended: the exit code and how long it took. (The output
 * went to the caller's streams as it was produced.)
 *
 * @param exitCode the command's exit status: 0 to 255, 128+N when killed by signal N (the Go
 *     reference agent reports -1 instead)
 * @param duration from the start of the call (connecting included) to the final frame
 */
public record ExecStatus(int exitCode, Duration duration) {

    /** Validates the status: a duration is required. */
    public ExecStatus {
        Objects.requireNonNull(duration, "duration");
    }

    /** True when the exit code is 0. */
    public boolean success() {
        return exitCode == 0;
    }

    @Override
    public String toString() {
        return "ExecStatus[exitCode=" + exitCode + ", duration=" + Durations.format(duration) + "]";
    }
}
