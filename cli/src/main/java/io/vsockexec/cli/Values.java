package io.vsockexec.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * How option values are written: durations ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h},
 * {@code 1.5s}, or ISO-8601 {@code PT5S}), byte sizes ({@code 65536}, {@code 64KiB}, {@code 16MiB},
 * {@code 1GiB}) and counts. Each parser throws {@link IllegalArgumentException} quoting the bad
 * text; the option parser puts the option's name in front.
 */
final class Values {
    private Values() {}

    /** A duration of zero or more; a number needs its unit. */
    static Duration duration(String text) {
        String t = text.strip();
        Duration d = t.startsWith("P") || t.startsWith("p") ? iso(t) : withUnit(t);
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': expected a number with a unit, e.g. 500ms, 5s, 2m, 1h");
        }
        return d;
    }

    /** A duration of more than zero: a time limit. */
    static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is no time at all: give more than zero, e.g. 30s");
        }
        return d;
    }

    /** A byte count below 2 GiB: a plain number, or one with K, KiB, M, MiB, G or GiB (binary units). */
    static int byteSize(String text) {
        return (int) bytes(text, 0, Integer.MAX_VALUE, "a number of bytes below 2GiB, e.g. 65536, 64KiB, 16MiB");
    }

    /**
     * A byte count from {@code min} to {@code max}, written as {@link #byteSize} takes it;
     * {@code expected} says what is wanted when the text is not that.
     */
    static long bytes(String text, long min, long max, String expected) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int digits = leadingDigits(t);
        int shift = switch (t.substring(digits).strip()) {
            case "" -> 0;
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            default -> -1;
        };
        long n = digits == 0 || digits > 18 || shift < 0 ? -1 : Long.parseLong(t, 0, digits, 10);
        // n <= max >> shift keeps n << shift within max, without overflow.
        if (n < 0 || n > max >> shift || n << shift < min) {
            throw new IllegalArgumentException("invalid size '" + text + "': expected " + expected);
        }
        return n << shift;
    }

    /** A whole number of at least {@code min}. */
    static int count(String text, int min) {
        String t = text.strip();
        int digits = leadingDigits(t);
        if (digits == 0 || digits != t.length() || digits > 9 || Integer.parseInt(t) < min) {
            throw new IllegalArgumentException("invalid number '" + text + "': expected a whole number of at least "
                    + min);
        }
        return Integer.parseInt(t);
    }

    /** A whole number from {@code min} to {@code max}. */
    static long number(String text, long min, long max) {
        String t = text.strip();
        int digits = leadingDigits(t);
        long n = digits == 0 || digits != t.length() || digits > 18 ? -1 : Long.parseLong(t);
        if (n < min || n > max) {
            throw new IllegalArgumentException("invalid number '" + text + "': expected a whole number from " + min
                    + " to " + max);
        }
        return n;
    }

    /** One of {@code choices}, as written. */
    static String choice(String text, List<String> choices) {
        if (!choices.contains(text)) {
            throw new IllegalArgumentException("invalid value '" + text + "': expected "
                    + String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.getLast());
        }
        return text;
    }

    private static Duration withUnit(String t) {
        int digits = leadingDigits(t);
        int end = digits;
        if (end < t.length() && t.charAt(end) == '.') {
            end += 1 + leadingDigits(t.substring(end + 1));
            if (end == digits + 1) {
                return null;
            }
        }
        double nanosPerUnit = switch (t.substring(end)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 0;
        };
        if (digits == 0 || nanosPerUnit == 0) {
            return null;
        }
        double nanos = Double.parseDouble(t.substring(0, end)) * nanosPerUnit;
        return nanos > Long.MAX_VALUE ? null : Duration.ofNanos((long) nanos);
    }

    private static Duration iso(String t) {
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int leadingDigits(String t) {
        int n = 0;
        while (n < t.length() && t.charAt(n) >= '0' && t.charAt(n) <= '9') {
            n++;
        }
        return n;
    }
}
