package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One cgroup v2 directory and the few of its files the agent uses: {@code cgroup.procs} (who is
 * in it, and how a process moves in), {@code cgroup.events} (whether anyone is, in it or below),
 * {@code cgroup.kill} (SIGKILL to everyone in it and below, Linux 5.14 and later).
 */
record CgroupDirectory(Path path) {
    /** How often an emptying cgroup is looked at: nothing announces it without a file watch. */
    private static final long POLL_NANOS = 5_000_000L;
    /** Enough of {@code cgroup.events} for its first line, whatever else it lists. */
    private static final int EVENTS_READ = 256;

    /** Creates the cgroup {@code name} below this one. */
    CgroupDirectory create(String name) throws IOException {
        return new CgroupDirectory(Files.createDirectory(path.resolve(name)));
    }

    /** The file a process writes {@code 0} to, to move itself in. */
    Path procs() {
        return path.resolve("cgroup.procs");
    }

    /** True if the kernel offers {@code cgroup.kill} here. */
    boolean canKill() {
        return Files.exists(path.resolve("cgroup.kill"));
    }

    /**
     * True while a live process is in this cgroup or one below it; false once it is gone. Read in
     * one small read (a session's end asks it on the way to the next exec; the file is a few
     * dozen bytes, {@code populated N} first), not line by line.
     */
    boolean populated() throws IOException {
        byte[] events = new byte[EVENTS_READ];
        int n;
        try (InputStream in = Files.newInputStream(path.resolve("cgroup.events"))) {
            n = in.read(events);
        } catch (NoSuchFileException gone) {
            return false;
        }
        return populated(new String(events, 0, Math.max(n, 0), StandardCharsets.US_ASCII));
    }

    /** Whether {@code cgroup.events}' text says {@code populated 1}. */
    static boolean populated(String events) {
        for (String line : events.split("\n")) {
            if (line.startsWith("populated ")) {
                return !line.endsWith(" 0");
            }
        }
        return false;
    }

    /** SIGKILL to every process in this cgroup and below it, at once, forks in flight included. */
    void kill() throws IOException {
        Files.writeString(path.resolve("cgroup.kill"), "1", StandardCharsets.US_ASCII);
    }

    /** The processes in this cgroup and below it now. */
    List<Integer> processes() throws IOException {
        List<Integer> pids = new ArrayList<>();
        for (Path dir : directories()) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.strip()));
                    }
                }
            } catch (NoSuchFileException gone) {
                // removed while we looked
            }
        }
        return pids;
    }

    /** Waits until no process is left in it, or {@code patience} has passed; true if none is left. */
    boolean awaitEmpty(Duration patience) throws IOException {
        Deadline deadline = Deadline.after(patience);
        while (populated()) {
            if (deadline.hasPassed()) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /**
     * Removes this cgroup and those below it, deepest first; true if it is gone. A cgroup that
     * still has a process stays (EBUSY), and so do the ones above it.
     */
    boolean remove() throws IOException {
        List<Path> dirs = directories();
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : dirs) {
            try {
                Files.deleteIfExists(dir);
            } catch (FileSystemException busy) {
                return false;
            }
        }
        return true;
    }

    /** This directory and every cgroup directory below it. */
    private List<Path> directories() throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            return new ArrayList<>(walk.filter(Files::isDirectory).toList());
        } catch (NoSuchFileException | UncheckedIOException changedWhileWalked) {
            // A cgroup went away under the walk (its processes were killed, it was removed).
            return Files.isDirectory(path) ? new ArrayList<>(List.of(path)) : new ArrayList<>();
        }
    }
}
