package io.vsockexec.cli;

import io.vsockexec.client.CopyStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * {@code vsockexec cp}'s progress line on a terminal, as {@code scp} shows one: bytes so far and
 * the rate, redrawn at most four times a second; nothing when the output is not a terminal. What
 * a copy left out (sockets, pipes, devices) is said either way.
 */
final class CopyProgress implements AutoCloseable {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private CopyProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Progress on {@code err}, drawn only if this process runs on a terminal. */
    static CopyProgress on(PrintStream err) {
        java.io.Console console = System.console();
        return new CopyProgress(err, console != null && console.isTerminal());
    }

    /** What the SDK tells of the bytes so far; null (nothing to count) when not on a terminal. */
    LongConsumer listener() {
        return terminal ? this::draw : null;
    }

    private void draw(long bytes) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            drawn = true;
            double seconds = Math.max((now - start) / 1e9, 1e-3);
            err.print("\r" + size(bytes) + "  " + size((long) (bytes / seconds)) + "/s   ");
            err.flush();
        }
    }

    /** One copy is done: ends the progress line, and says what it left out. */
    void done(CopyStats stats) {
        if (drawn) {
            draw(stats.bytes());
            err.println();
            drawn = false;
        }
        if (stats.skipped() > 0) {
            err.println("vsockexec: warning: " + stats.warning());
        }
        err.flush();
    }

    @Override
    public void close() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }

    /** {@code 12.3 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (unit * 10)), " KMGTPE".charAt(unit));
    }
}
