package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipe between this process and a child: one end stays here as a non-blocking
 * {@link Descriptor}, the other becomes the child's stdin, stdout or stderr (see
 * {@link Stdio#pipe}).
 *
 * <p>Only the parent's end is non-blocking. O_NONBLOCK belongs to the open file description, which
 * dup2 shares, so a non-blocking child end would make the child's reads fail with EAGAIN.
 * Both ends are close-on-exec, so no other child inherits them; {@link ChildProcess#spawn}
 * closes the child's end here once the child has its copy, so that the parent sees end of stream
 * when the child (and anything it passed the descriptor to) exits.
 */
public final class Pipe implements Closeable {
    /** Which way the bytes flow. */
    public enum Direction {
        /** The parent writes, the child reads: for stdin. */
        TO_CHILD,
        /** The child writes, the parent reads: for stdout and stderr. */
        FROM_CHILD
    }

    private final Direction direction;
    private final Descriptor parentEnd;
    private final AtomicInteger childEnd;

    private Pipe(Direction direction, Descriptor parentEnd, int childEnd) {
        this.direction = direction;
        this.parentEnd = parentEnd;
        this.childEnd = new AtomicInteger(childEnd);
    }

    /** A pipe the parent writes and the child reads, for stdin. */
    public static Pipe toChild(String name) throws ErrnoException {
        return open(Direction.TO_CHILD, name);
    }

    /** A pipe the child writes and the parent reads, for stdout or stderr. */
    public static Pipe fromChild(String name) throws ErrnoException {
        return open(Direction.FROM_CHILD, name);
    }

    private static Pipe open(Direction direction, String name) throws ErrnoException {
        int[] fds = new int[2];
        ErrnoException.check(ProcessLibc.pipe2(fds, Libc.O_CLOEXEC), "pipe2", name);
        boolean toChild = direction == Direction.TO_CHILD;
        int parent = toChild ? fds[1] : fds[0];
        int child = toChild ? fds[0] : fds[1];
        try {
            child = aboveStdio(child, name);
        } catch (ErrnoException e) {
            Libc.close(parent);
            throw e;
        }
        try {
            return new Pipe(direction, Descriptor.adopt(parent, name), child);
        } catch (ErrnoException e) {
            Libc.close(child); // adopt closed the parent's end
            throw e;
        }
    }

    /**
     * Moves a descriptor numbered 0, 1 or 2 (possible when this process runs with its standard
     * descriptors closed) above them, so that the child's dup2 onto 0-2 cannot overwrite it
     * before it has been copied.
     */
    private static int aboveStdio(int fd, String name) throws ErrnoException {
        if (fd > 2) {
            return fd;
        }
        int moved = Libc.fcntl(fd, ProcessLibc.F_DUPFD_CLOEXEC, 3);
        Libc.close(fd);
        return ErrnoException.check(moved, "fcntl", name);
    }

    /** The end that stays in this process: write it for {@link Direction#TO_CHILD}, read it otherwise. */
    public Descriptor parentEnd() {
        return parentEnd;
    }

    /**
     * Asks for a pipe buffer of at least {@code bytes} ({@code F_SETPIPE_SZ}; Linux rounds up to a
     * power-of-two number of pages, and allocates the pages only as data fills them). A bulk
     * transfer through a bigger pipe needs fewer wake-ups of its reader and writer. Returns the
     * capacity in effect.
     *
     * @throws ErrnoException EPERM above {@code /proc/sys/fs/pipe-max-size}, or beyond the pipe
     *     memory an unprivileged user may have; the pipe keeps its capacity
     */
    public int resize(int bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("pipe capacity must be positive: " + bytes);
        }
        return ErrnoException.check(parentEnd.withFd(fd -> Libc.fcntl(fd, ProcessLibc.F_SETPIPE_SZ, bytes)),
                "fcntl F_SETPIPE_SZ", parentEnd.name());
    }

    /** Which way the bytes flow. */
    public Direction direction() {
        return direction;
    }

    /**
     * Hands the child's end over to a spawn, which closes it once the child has its copy; -1 if
     * it was handed over or closed already. Atomic, so two spawns can never share one end.
     */
    int takeChildEnd() {
        return childEnd.getAndSet(-1);
    }

    /** Closes both ends that are still open here, waking any thread blocked on the parent's end. */
    @Override
    public void close() {
        int fd = takeChildEnd();
        if (fd >= 0) {
            Libc.close(fd);
        }
        parentEnd.close();
    }

    @Override
    public String toString() {
        return "Pipe[" + parentEnd.name() + ", " + direction + "]";
    }
}
