package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.ProcessLibc;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A pseudo-terminal: this process keeps the master as a non-blocking {@link Descriptor}; a child
 * given {@link Stdio#terminal} opens the slave as its controlling terminal.
 *
 * <p>This process never opens the slave itself. The child opens it by path in a spawn file action
 * after {@code setsid}, without O_NOCTTY, which makes it the session's controlling terminal; so once
 * every process using the slave has exited, reading the master reports EIO, which {@link #master()}
 * returns as end of stream (-1).
 */
public final class Pty implements Closeable {
    private static final int MAX_DIMENSION = 0xFFFF;
    private static final String PTMX = "/dev/ptmx";

    private final Descriptor master;
    private final String slavePath;

    private Pty(Descriptor master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /**
     * Opens a new pseudo-terminal with a window of {@code rows} by {@code cols} characters.
     *
     * @throws IllegalArgumentException if a dimension is outside 0 to 65535 (0 means unknown)
     */
    public static Pty open(int rows, int cols) throws ErrnoException {
        short[] size = windowSize(rows, cols);
        int fd = ErrnoException.check(ProcessLibc.posixOpenpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC),
                "posix_openpt", PTMX);
        String slave;
        try {
            slave = prepare(fd, size);
        } catch (ErrnoException e) {
            Libc.close(fd);
            throw e;
        }
        return new Pty(Descriptor.adoptTerminalMaster(fd, "terminal " + slave), slave);
    }

    /** Unlocks the slave, sets the window size, and returns the slave's path. */
    private static String prepare(int fd, short[] size) throws ErrnoException {
        ErrnoException.check(ProcessLibc.grantpt(fd), "grantpt", PTMX);
        ErrnoException.check(ProcessLibc.unlockpt(fd), "unlockpt", PTMX);
        byte[] name = new byte[64];
        ErrnoException.check(ProcessLibc.ptsname(fd, name), "ptsname_r", PTMX);
        String slave = cString(name);
        ErrnoException.check(Libc.ioctl(fd, ProcessLibc.TIOCSWINSZ, MemorySegment.ofArray(size)),
                "ioctl(TIOCSWINSZ)", slave);
        return slave;
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** struct winsize: rows, columns, x pixels, y pixels, all unsigned short. */
    private static short[] windowSize(int rows, int cols) {
        if (rows < 0 || rows > MAX_DIMENSION || cols < 0 || cols > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "terminal size must be 0 to 65535 rows and columns: " + rows + "x" + cols);
        }
        return new short[] {(short) rows, (short) cols, 0, 0};
    }

    /** The master: read what the child writes to its terminal, write what it should read (keystrokes). */
    public Descriptor master() {
        return master;
    }

    /** The slave's path, such as {@code /dev/pts/3}. */
    public String slavePath() {
        return slavePath;
    }

    /**
     * Changes the window size; the kernel then sends SIGWINCH to the terminal's foreground
     * process group.
     *
     * @throws IllegalArgumentException if a dimension is outside 0 to 65535
     */
    public void resize(int rows, int cols) throws IOException {
        short[] size = windowSize(rows, cols);
        ErrnoException.check(master.withFd(fd -> Libc.ioctl(fd, ProcessLibc.TIOCSWINSZ, MemorySegment.ofArray(size))),
                "ioctl(TIOCSWINSZ)", slavePath);
    }

    /**
     * The id of the terminal's foreground process group, the one that keystrokes such as Ctrl-C
     * signal; 0 when no session has this terminal as its controlling terminal.
     */
    public int foregroundProcessGroup() throws IOException {
        int[] pgrp = new int[1];
        // Linux answers TIOCGPGRP on the master for the slave side.
        ErrnoException.check(master.withFd(fd -> Libc.ioctl(fd, ProcessLibc.TIOCGPGRP, MemorySegment.ofArray(pgrp))),
                "ioctl(TIOCGPGRP)", slavePath);
        return pgrp[0];
    }

    /** Closes the master, waking any thread blocked on it; processes on the slave get SIGHUP. */
    @Override
    public void close() {
        master.close();
    }

    @Override
    public String toString() {
        return "Pty[" + slavePath + (master.isOpen() ? "" : ", closed") + "]";
    }
}
