package io.vsockexec.nativeio.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One process as {@code /proc/PID/stat} describes it: the fields this project reads, and the one
 * parser and directory scan for them.
 *
 * @param state the one-letter state: {@code R}, {@code S}, {@code D}, {@code T}, {@code Z} ...
 * @param startTime when the process started, in clock ticks after boot: with the pid, it names one
 *     process for good, as a pid alone does not once the kernel reuses it
 */
public record ProcStat(int pid, char state, int ppid, int pgrp, int session, long startTime) {
    private static final Path PROC = Path.of("/proc");

    /** True for a zombie: a process that has exited and that its parent has not reaped yet. */
    public boolean isZombie() {
        return state == 'Z';
    }

    /**
     * Applies {@code query} to every process in {@code /proc} while the directory is open, so the
     * query can stop early. Processes that exit while it runs may be missing; new ones may appear.
     */
    public static <T> T scan(Function<Stream<ProcStat>, T> query) throws IOException {
        try (Stream<Path> entries = Files.list(PROC)) {
            return query.apply(entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9'))
                    .map(ProcStat::readIfAlive)
                    .filter(Objects::nonNull));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Reads process {@code pid}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such process (any more)
     */
    public static ProcStat of(int pid) throws IOException {
        return parse(Files.readString(PROC.resolve(Integer.toString(pid)).resolve("stat")));
    }

    private static ProcStat readIfAlive(String pid) {
        try {
            return of(Integer.parseInt(pid));
        } catch (IOException | RuntimeException gone) {
            return null; // the process went away while we looked
        }
    }

    /**
     * Parses {@code "pid (comm) state ppid pgrp session ..."}. The command name {@code comm} may
     * hold anything, spaces and parentheses included, so the fields after it are found after the
     * last {@code ')'}: none of them can contain one.
     *
     * @throws IllegalArgumentException if {@code stat} is not in that form
     */
    public static ProcStat parse(String stat) {
        try {
            // From the state (field 3 of proc(5)) on; the start time is field 22.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 21);
            return new ProcStat(Integer.parseInt(stat.substring(0, stat.indexOf(' '))), fields[0].charAt(0),
                    Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), Integer.parseInt(fields[3]),
                    Long.parseLong(fields[19]));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat, e);
        }
    }
}
