package io.vsockexec.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * How much each measurement does. {@link #full()} is the run of docs/PERFORMANCE.md's table,
 * {@link #quick()} finishes within a minute, {@link #tiny()} only proves the code path works.
 *
 * @param warmupExecs execs (and baseline spawns) before row 1 measures: enough for both JVMs' compilers
 *     to have settled, which 200 are not on two cores
 * @param execs sequential execs measured in row 1, and as many baseline spawns
 * @param streamBytes the bytes of rows 2 and 3
 * @param sessions the concurrent streaming sessions of row 4
 * @param seqCount each of those runs {@code seq 1 seqCount}
 * @param coldStarts agent starts measured for row 5, and as many for row 6
 * @param codecIterations encode-decode rounds measured per payload size in row 7 (as many again warm up)
 * @param cliStarts runs of the command line measured in row 8, each of {@code exec} and {@code --version}, and as
 *     many of the JVM floor
 * @param idleAfter when row 5 reads the idle memory, after readiness: once the JVM has handed back
 *     its start-up scratch memory (its JIT arenas go back to a pool emptied every 5 seconds)
 * @param vm whether row 9 boots a user-mode Linux guest and measures through {@code vsockexec vm}
 *     (about a minute of its own)
 */
public record BenchSizes(int warmupExecs, int execs, long streamBytes, int sessions, int seqCount, int coldStarts,
        int codecIterations, int cliStarts, Duration idleAfter, boolean vm) {
    private static final long MIB = 1024 * 1024;
    /** Past the JVM's 5-second clean-up of start-up scratch memory, and the second the launcher's trim takes. */
    private static final Duration IDLE = Duration.ofSeconds(7);

    /**
     * @throws IllegalArgumentException naming a value that is not positive
     */
    public BenchSizes {
        positive("warmupExecs", warmupExecs);
        positive("execs", execs);
        positive("streamBytes", streamBytes);
        positive("sessions", sessions);
        positive("seqCount", seqCount);
        positive("coldStarts", coldStarts);
        positive("codecIterations", codecIterations);
        positive("cliStarts", cliStarts);
        Objects.requireNonNull(idleAfter, "idleAfter");
        positive("idleAfter (ms)", idleAfter.toMillis());
    }

    /**
     * The sizes of the issue: 1,000 execs, 1 GiB streams, 1,000 sessions, 10 cold starts (each of rows 5 and 6),
     * 20 command lines of each kind, and the VM's row.
     */
    public static BenchSizes full() {
        return new BenchSizes(1000, 1000, 1024 * MIB, 1000, 10_000, 10, 200_000, 20, IDLE, true);
    }

    /**
     * Every row but the VM's at a size that fits a minute: 256 MiB streams, 5 cold starts, 10 command lines of
     * each kind.
     */
    public static BenchSizes quick() {
        return new BenchSizes(1000, 1000, 256 * MIB, 1000, 10_000, 5, 50_000, 10, IDLE, false);
    }

    /** Small enough for a test: proves each measurement runs, measures nothing worth reading. */
    public static BenchSizes tiny() {
        return new BenchSizes(3, 10, MIB, 8, 1000, 1, 200, 1, Duration.ofMillis(600), false);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, is " + value);
        }
    }
}
