package io.vsockexec.cli;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One option of a command: its names, the value it takes, whether it may be given more than once,
 * its help text and what a shell offers to complete its value. A command's options are a table of
 * these, from which come its parser ({@link ArgParser}), its {@code --help} ({@link Help}) and the
 * shell completion scripts ({@link Completion}).
 *
 * <pre>{@code
 * static final Opt<Duration> TIMEOUT = Opt.value("--timeout", "DURATION", Values::positiveDuration,
 *         "Stop the command after this long, e.g. 30s, 5m.");
 * static final Opt<String> ENV = Opt.text("-e, --env", "KEY=VAL", "Set an environment variable.").repeatable();
 * }</pre>
 *
 * @param <T> the value's type; {@link Boolean} for a flag
 */
final class Opt<T> {
    /** What a shell offers for the value: nothing in particular, file names, or fixed words. */
    enum Completes { ANYTHING, FILES, WORDS }

    /** {@code -h, --help}, which every command has. */
    static final Opt<Boolean> HELP = flag("-h, --help", "Print this help and exit.");
    /** {@code -v, --verbose}, which every command has. */
    static final Opt<Boolean> VERBOSE = flag("-v, --verbose", "Debug lines on stderr, and stack traces with errors.");

    private final String shortName;
    private final String longName;
    private final String label;
    private final boolean flag;
    private final Function<String, T> parser;
    private final boolean repeatable;
    private final String help;
    private final Completes completes;
    private final List<String> words;

    private Opt(String names, String label, boolean flag, Function<String, T> parser, boolean repeatable,
            String help, Completes completes, List<String> words) {
        int comma = names.indexOf(',');
        this.shortName = comma < 0 ? null : names.substring(0, comma).strip();
        this.longName = (comma < 0 ? names : names.substring(comma + 1)).strip();
        if (!longName.startsWith("--") || shortName != null && (shortName.length() != 2 || shortName.charAt(0) != '-')) {
            throw new IllegalArgumentException("option names must be \"--name\" or \"-n, --name\": " + names);
        }
        this.label = label;
        this.flag = flag;
        this.parser = parser;
        this.repeatable = repeatable;
        this.help = Objects.requireNonNull(help, "help");
        this.completes = completes;
        this.words = List.copyOf(words);
    }

    /** An option without a value, e.g. {@code -i, --interactive}; its value is {@code true} when given. */
    static Opt<Boolean> flag(String names, String help) {
        return new Opt<>(names, null, true, text -> Boolean.TRUE, false, help, Completes.ANYTHING, List.of());
    }

    /** An option whose value is the text as given. */
    static Opt<String> text(String names, String label, String help) {
        return value(names, label, Function.identity(), help);
    }

    /**
     * An option whose value {@code parser} makes from the text; the parser throws
     * {@link IllegalArgumentException} quoting a bad text.
     *
     * @param label the value's name in help, e.g. {@code DURATION}
     */
    static <T> Opt<T> value(String names, String label, Function<String, T> parser, String help) {
        return new Opt<>(names, Objects.requireNonNull(label, "label"), false,
                Objects.requireNonNull(parser, "parser"), false, help, Completes.ANYTHING, List.of());
    }

    /** This option, given any number of times; each value counts. */
    Opt<T> repeatable() {
        return new Opt<>(names(), label, flag, parser, true, help, completes, words);
    }

    /** This option, whose value a shell completes as a file name. */
    Opt<T> completingFiles() {
        return new Opt<>(names(), label, flag, parser, repeatable, help, Completes.FILES, words);
    }

    /** This option, whose value a shell completes from {@code choices}. */
    Opt<T> completing(List<String> choices) {
        return new Opt<>(names(), label, flag, parser, repeatable, help, Completes.WORDS, choices);
    }

    /** {@code -e, --env} or {@code --connect}, as help shows them. */
    String names() {
        return shortName == null ? longName : shortName + ", " + longName;
    }

    /** The one-letter name with its dash, e.g. {@code -e}, or null. */
    String shortName() {
        return shortName;
    }

    /** The long name with its dashes, e.g. {@code --env}. */
    String longName() {
        return longName;
    }

    /** True when {@code name} is one of this option's names. */
    boolean named(String name) {
        return name.equals(longName) || name.equals(shortName);
    }

    /** The value's name in help, e.g. {@code KEY=VAL}; null for a flag. */
    String label() {
        return label;
    }

    boolean isFlag() {
        return flag;
    }

    boolean isRepeatable() {
        return repeatable;
    }

    String help() {
        return help;
    }

    Completes completes() {
        return completes;
    }

    /** The words a shell offers for the value, when it {@linkplain Completes#WORDS completes words}. */
    List<String> words() {
        return words;
    }

    /**
     * The value {@code text} stands for.
     *
     * @throws IllegalArgumentException naming this option and quoting the text
     */
    T parse(String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(longName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return longName;
    }
}
