package io.vsockexec.agent;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in log lines: {@code 850ms}, {@code 2.5s}, {@code 10s}, {@code 3m20s}. */
final class Durations {
    private Durations() {}

    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = d.toSeconds();
        return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
}
