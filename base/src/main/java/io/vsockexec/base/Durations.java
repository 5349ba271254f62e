package io.vsockexec.base;

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
            return seconds + fraction(millis % 1000) + "s";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /**
     * {@code .5} for 500 ms, {@code .25} for 250, {@code .001} for 1, nothing for 0. Integer
     * arithmetic on purpose: {@code BigDecimal}'s class initialization squares large numbers in
     * the interpreter, and the agent formats its default durations before it is ready.
     */
    private static String fraction(long millis) {
        if (millis == 0) {
            return "";
        }
        long digits = millis;
        int width = 3;
        while (digits % 10 == 0) {
            digits /= 10;
            width--;
        }
        String text = Long.toString(digits);
        return "." + "0".repeat(width - text.length()) + text;
    }
}
