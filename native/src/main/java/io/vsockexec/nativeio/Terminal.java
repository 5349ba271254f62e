package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.ProcessLibc;
import io.vsockexec.nativeio.internal.TerminalLibc;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local terminal a command line runs on: is a descriptor a terminal, how big is its window,
 * and raw mode for forwarding keystrokes to a remote terminal as {@code docker exec -it} does.
 *
 * <p>Descriptors here are plain numbers (0 for standard input, 1 for standard output) that this
 * class neither owns nor closes.
 */
public final class Terminal {
    private Terminal() {}

    /** A terminal window size in character cells. */
    public record Size(int rows, int cols) {
        @Override
        public String toString() {
            return rows + "x" + cols;
        }
    }

    /** True if {@code fd} is open and refers to a terminal. */
    public static boolean isTerminal(int fd) {
        return TerminalLibc.isatty(fd) == 1;
    }

    /**
     * The window size of the terminal at {@code fd}; zero rows or columns when the terminal does
     * not know (a serial line, a fresh pseudo-terminal).
     *
     * @throws ErrnoException ENOTTY if {@code fd} is not a terminal, EBADF if it is not open
     */
    public static Size size(int fd) throws ErrnoException {
        short[] winsize = new short[4];
        ErrnoException.check(Libc.ioctl(fd, ProcessLibc.TIOCGWINSZ, MemorySegment.ofArray(winsize)),
                "ioctl(TIOCGWINSZ)", "fd " + fd);
        return new Size(Short.toUnsignedInt(winsize[0]), Short.toUnsignedInt(winsize[1]));
    }

    /**
     * Puts the terminal at {@code fd} in raw mode ({@code cfmakeraw}: no echo, no line editing, no
     * signals from Ctrl-C, no output processing), so every keystroke can be passed on as it is typed.
     * The returned handle restores the previous settings; restore it on every way out, including
     * signals.
     *
     * @throws ErrnoException ENOTTY if {@code fd} is not a terminal
     */
    public static RawMode enterRawMode(int fd) throws ErrnoException {
        int[] saved = new int[TerminalLibc.TERMIOS_INTS];
        ErrnoException.check(TerminalLibc.tcgetattr(fd, saved), "tcgetattr", "fd " + fd);
        int[] raw = saved.clone();
        TerminalLibc.cfmakeraw(raw);
        ErrnoException.check(TerminalLibc.tcsetattr(fd, TerminalLibc.TCSANOW, raw), "tcsetattr", "fd " + fd);
        return new RawMode(fd, saved);
    }

    /**
     * A terminal in raw mode, and the settings it had before. {@link #restore()} may be called from
     * any thread (a signal handler, a shutdown hook) and more than once; only the first call acts.
     */
    public static final class RawMode implements AutoCloseable {
        private final int fd;
        private final int[] saved;
        private final AtomicBoolean restored = new AtomicBoolean();

        private RawMode(int fd, int[] saved) {
            this.fd = fd;
            this.saved = saved;
        }

        /** The terminal's descriptor. */
        public int fd() {
            return fd;
        }

        /**
         * Puts back the settings from before raw mode. Idempotent.
         *
         * @throws ErrnoException if the terminal refused the settings (it may have gone away)
         */
        public void restore() throws ErrnoException {
            if (restored.compareAndSet(false, true)) {
                ErrnoException.check(TerminalLibc.tcsetattr(fd, TerminalLibc.TCSANOW, saved), "tcsetattr", "fd " + fd);
            }
        }

        /** True once {@link #restore()} or {@link #close()} ran. */
        public boolean isRestored() {
            return restored.get();
        }

        /**
         * Restores the settings, ignoring a failure: by the time a terminal refuses its old settings
         * it has usually been closed, and there is nothing left to restore.
         */
        @Override
        public void close() {
            try {
                restore();
            } catch (ErrnoException gone) {
                // The terminal is gone (EBADF, EIO after a hangup); nothing to put back.
            }
        }
    }
}
