package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cgroup v2's {@code cgroup.procs}: who is in it (one pid per line), and how a process is moved
 * in (its pid written to it). Straight system calls on a descriptor opened once rather than
 * {@code java.nio.file}: a spawn into a cgroup reads one of these twice.
 */
final class CgroupProcs {
    private static final int CHUNK = 4096;
    /** Past this many pids a cgroup holds more than the spawns of one session could have put there. */
    private static final int MOST = 1 << 20;

    private CgroupProcs() {}

    /** Opens a {@code cgroup.procs} to {@link #read} it, as often as needed. */
    static int open(String path) throws ErrnoException {
        return ErrnoException.check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open", path);
    }

    /** Opens a {@code cgroup.procs} to {@link #move} processes in. */
    static int openForMoves(String path) throws ErrnoException {
        return ErrnoException.check(Libc.open(path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0), "open", path);
    }

    /**
     * The pids in the cgroup whose {@code cgroup.procs} is open as {@code fd} ({@code path} names
     * it): read from its start each time, which has the kernel list them afresh.
     */
    static int[] read(int fd, String path) throws ErrnoException {
        byte[] chunk = new byte[CHUNK];
        MemorySegment segment = MemorySegment.ofArray(chunk);
        int[] pids = new int[4];
        int count = 0;
        long pid = -1;
        long offset = 0;
        while (true) {
            long n = Libc.pread(fd, segment, offset);
            if (n < 0) {
                throw ErrnoException.of("read", path, (int) -n);
            }
            if (n == 0) {
                return count(pids, count, pid, path);
            }
            offset += n;
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (b >= '0' && b <= '9') {
                    pid = (pid < 0 ? 0 : pid * 10) + (b - '0');
                    if (pid > Integer.MAX_VALUE) {
                        throw ErrnoException.of("read", path, Errno.ERANGE);
                    }
                } else if (pid >= 0) {
                    if (count == pids.length) {
                        pids = grown(pids, path);
                    }
                    pids[count++] = (int) pid;
                    pid = -1;
                }
            }
        }
    }

    private static int[] count(int[] pids, int count, long last, String path) throws ErrnoException {
        if (last < 0) {
            return Arrays.copyOf(pids, count);
        }
        int[] all = count == pids.length ? grown(pids, path) : pids;
        all[count] = (int) last;
        return Arrays.copyOf(all, count + 1);
    }

    private static int[] grown(int[] pids, String path) throws ErrnoException {
        if (pids.length >= MOST) {
            throw ErrnoException.of("read", path, Errno.ERANGE);
        }
        return Arrays.copyOf(pids, pids.length * 2);
    }

    /**
     * Moves process {@code pid} (all its threads; 0: the calling process) into the cgroup whose
     * {@code cgroup.procs} is open as {@code fd}: 0 or the errno.
     */
    static int move(int fd, int pid) {
        byte[] text = Integer.toString(pid).getBytes(StandardCharsets.US_ASCII);
        long rc = Libc.write(fd, MemorySegment.ofArray(text));
        return rc < 0 ? (int) -rc : 0;
    }
}
