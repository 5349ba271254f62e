package io.vsockexec.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses byte counts: a plain number ({@code 65536}) or one with a binary unit ({@code 64KiB},
 * {@code 16MiB}, {@code 1GiB}; {@code K}, {@code M}, {@code G} mean the same).
 */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|k|kib|m|mib|g|gib)");

    @Override
    public Integer convert(String text) {
        return parse(text);
    }

    /**
     * Parses {@code text}.
     *
     * @throws CommandLine.TypeConversionException naming the bad value, also for sizes of 2 GiB or more
     */
    public static int parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(text);
        }
        long shift = switch (m.group(2)) {
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            default -> 0;
        };
        String digits = m.group(1);
        if (digits.length() > 10) {
            throw invalid(text);
        }
        long bytes = Long.parseLong(digits) << shift;
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(text);
        }
        return (int) bytes;
    }

    private static CommandLine.TypeConversionException invalid(String text) {
        return new CommandLine.TypeConversionException(
                "invalid size '" + text + "': expected a number of bytes below 2GiB, e.g. 65536, 64KiB, 16MiB");
    }
}
