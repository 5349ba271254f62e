package io.vsockexec.client;

import io.vsockexec.base.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of a buffered exec: the exit code, everything the command wrote, and how long it
 * took. The arrays are private copies; the accessors return copies. {@link #toString()} shows the
 * output's length, never its content.
 *
 * @param exitCode the command's exit status: 0 to 255, 128+N when killed by signal N (the Go
 *     reference agent reports -1 instead)
 * @param stdout everything the command wrote to its standard output
 * @param stderr everything the command wrote to its standard error
 * @param duration from the start of the call (connecting included) to the result
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, Duration duration) {
    private static final byte[] EMPTY = new byte[0];

    /** Null output becomes empty, as the Go agent's {@code "stdout":null} means. */
    public ExecResult {
        stdout = stdout == null || stdout.length == 0 ? EMPTY : stdout.clone();
        stderr = stderr == null || stderr.length == 0 ? EMPTY : stderr.clone();
        Objects.requireNonNull(duration, "duration");
    }

    /** True when the exit code is 0. */
    public boolean success() {
        return exitCode == 0;
    }

    /** A copy of the standard output. */
    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the standard error. */
    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    /** The standard output decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The standard error decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecResult r && Arrays.deepEquals(components(), r.components());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(components());
    }

    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
                + stderr.length + " bytes, duration=" + Durations.format(duration) + "]";
    }

    /** The components in order, for {@link #equals} and {@link #hashCode}: the byte arrays by content. */
    private Object[] components() {
        return new Object[] {exitCode, stdout, stderr, duration};
    }
}
