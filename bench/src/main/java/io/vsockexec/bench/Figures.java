package io.vsockexec.bench;

import java.util.Arrays;
import java.util.Locale;

/** Statistics and the way figures are written in the table. */
final class Figures {
    private static final double MIB = 1024.0 * 1024.0;
    private static final double GIB = MIB * 1024.0;

    private Figures() {}

    /**
     * The nearest-rank percentile {@code p} (0 < p <= 100) of {@code samples}, which need not be sorted.
     *
     * @throws IllegalArgumentException for no samples or a p outside (0, 100]
     */
    static long percentile(long[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], is " + p);
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The median: the nearest-rank 50th percentile. */
    static long median(long[] samples) {
        return percentile(samples, 50);
    }

    /** {@code 850 us}, {@code 1.21 ms}, {@code 2.30 s}. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return format("%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return format("%.2f ms", nanos / 1e6);
        }
        return format("%.2f s", nanos / 1e9);
    }

    /** Milliseconds, rounded: {@code 183 ms}. */
    static String millis(long nanos) {
        return format("%.0f ms", nanos / 1e6);
    }

    /** Bytes per second as {@code 1.52 GiB/s} or {@code 850.0 MiB/s}. */
    static String throughput(double bytesPerSecond) {
        return bytesPerSecond >= GIB ? format("%.2f GiB/s", bytesPerSecond / GIB)
                : format("%.1f MiB/s", bytesPerSecond / MIB);
    }

    /** A size in KiB, as {@code /proc} reports it, in MiB: {@code 41.3 MiB}. */
    static String kibAsMib(long kib) {
        return format("%.1f MiB", kib / 1024.0);
    }

    /** A size: {@code 16 B}, {@code 64 KiB}, {@code 1 GiB} (whole units only), else bytes. */
    static String size(long bytes) {
        if (bytes >= GIB && bytes % (long) GIB == 0) {
            return bytes / (long) GIB + " GiB";
        }
        if (bytes >= MIB && bytes % (long) MIB == 0) {
            return bytes / (long) MIB + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    /** A ratio with two decimals. */
    static String ratio(double ratio) {
        return format("%.2f", ratio);
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
