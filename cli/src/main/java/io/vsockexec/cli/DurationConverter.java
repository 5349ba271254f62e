package io.vsockexec.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses durations as people type them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h},
 * {@code 1.5s}, or ISO-8601 ({@code PT5S}). A number needs its unit.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    /**
     * Parses {@code text}.
     *
     * @throws CommandLine.TypeConversionException naming the bad value
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double nanosPerUnit = switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            double nanos = amount * nanosPerUnit;
            if (nanos > Long.MAX_VALUE) {
                throw invalid(text);
            }
            return Duration.ofNanos((long) nanos);
        }
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative()) {
                throw invalid(text);
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(text);
        }
    }

    private static CommandLine.TypeConversionException invalid(String text) {
        return new CommandLine.TypeConversionException(
                "invalid duration '" + text + "': expected a number with a unit, e.g. 500ms, 5s, 2m, 1h");
    }
}
