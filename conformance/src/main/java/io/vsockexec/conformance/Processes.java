package io.vsockexec.conformance;

import io.vsockexec.base.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What this machine's {@code /proc} says about a process, and waiting for that to change. The
 * agent under test always runs on the same machine (or inside the same user-mode Linux kernel)
 * as the suites, so a pid that a command prints can be looked up here.
 */
final class Processes {
    /** A safety net for a wait; only a broken agent comes near it. No test asserts a timing. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How often a condition is looked at: a process table has no event to wait for. */
    private static final long POLL_NANOS = 20_000_000L;

    private Processes() {}

    /** True while process {@code pid} exists and is not a zombie. */
    static boolean isAlive(long pid) {
        String[] fields = statFields(pid);
        return fields != null && !fields[0].equals("Z");
    }

    /** The parent of process {@code pid}, or -1 once it is gone. */
    static long parentOf(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    /** The children of {@code parent} in state Z: exited, not reaped. */
    static List<Long> zombieChildrenOf(long parent) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::valueOf)
                    .filter(pid -> {
                        String[] fields = statFields(pid);
                        return fields != null && fields[0].equals("Z") && Long.parseLong(fields[1]) == parent;
                    })
                    .toList();
        }
    }

    /** Waits until process {@code pid} is gone or a zombie; fails with {@code failure} after the patience. */
    static void awaitGone(long pid, String failure) {
        awaitTrue(() -> !isAlive(pid), failure);
    }

    /** Waits until process {@code pid} on {@code machine} is gone or a zombie; fails with {@code failure} after the patience. */
    static void awaitGone(AgentMachine machine, long pid, String failure) {
        awaitTrue(() -> !unchecked(() -> machine.isAlive(pid)), failure);
    }

    /** A look at the agent's machine that may fail, for a condition: a failure fails the wait's caller. */
    static boolean unchecked(IoCondition condition) {
        try {
            return condition.holds();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A condition whose look may fail. */
    @FunctionalInterface
    interface IoCondition {
        boolean holds() throws IOException;
    }

    /** Polls {@code condition} until it holds; fails with {@code failure} after the patience. */
    static void awaitTrue(BooleanSupplier condition, String failure) {
        Deadline deadline = Deadline.after(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (deadline.hasPassed()) {
                throw new AssertionError(failure);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * The fields of {@code /proc/PID/stat} after the command name (state, parent, ...), or null
     * if the process is gone. The name is in parentheses and may hold spaces, so the fields start
     * after the last ')'.
     */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
        } catch (IOException gone) {
            return null;
        }
    }
}
