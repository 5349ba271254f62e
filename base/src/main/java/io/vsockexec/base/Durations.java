package io.vsockexec.base;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as people write them in messages: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
    private Durations() {}

    /**
     * {@code d} the way people write it: {@code 850ms}, {@code 1.5s}, {@code 10s}, {@code 2m},
     * {@code 1h}; {@code none} for null.
     */
    public static String format(Duration d) {
        if (d == null) {
            return "none";
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (millis % 1000 != 0 || seconds < 60) {
            return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
