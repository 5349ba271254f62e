package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a command accepts and how its help reads: its options table, its arguments, its usage line,
 * description and closing sections (examples, exit status). {@link ArgParser} parses by it,
 * {@link Help} prints it, {@link Completion} completes it.
 *
 * <p>Arguments come in three shapes. By default options may stand anywhere before {@code --} and
 * every other word is an argument ({@code cp SRC... DST}). {@link Builder#optionsEndAtFirstArgument()}
 * ends the options at the first argument, so that the rest belongs to it unread ({@code exec
 * --connect X ls -l}). {@link Builder#passThroughAfterDashDash()} keeps the words after {@code --}
 * apart from the arguments, for a command that hands them on ({@code vm --dir D -- --grace 2s}).
 */
final class CommandSpec {
    private final String name;
    private final String summary;
    private final String usage;
    private final List<String> description;
    private final List<Opt<?>> options;
    private final String argumentLabel;
    private final int minArguments;
    private final int maxArguments;
    private final boolean optionsEndAtFirstArgument;
    private final boolean passThroughAfterDashDash;
    private final List<String> argumentWords;
    private final List<Section> sections;

    /** A block of help after the options, e.g. {@code Examples:} and its lines, printed as written. */
    record Section(String title, List<String> lines) {}

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.summary = Objects.requireNonNull(b.summary, "summary");
        this.usage = b.usage;
        this.description = List.copyOf(b.description);
        List<Opt<?>> all = new ArrayList<>(b.options);
        all.add(Opt.HELP);
        all.add(Opt.VERBOSE);
        this.options = List.copyOf(all);
        this.argumentLabel = b.argumentLabel;
        this.minArguments = b.minArguments;
        this.maxArguments = b.maxArguments;
        this.optionsEndAtFirstArgument = b.optionsEndAtFirstArgument;
        this.passThroughAfterDashDash = b.passThroughAfterDashDash;
        this.argumentWords = List.copyOf(b.argumentWords);
        this.sections = List.copyOf(b.sections);
    }

    /** Starts the spec of the command {@code name}, e.g. {@code exec}. */
    static Builder command(String name) {
        return new Builder(name);
    }

    /** The command's name, e.g. {@code exec}. */
    String name() {
        return name;
    }

    /** {@code vsockexec exec}: how help and error hints name the command; {@code vsockexec} for the program itself. */
    String fullName() {
        return name.isEmpty() ? "vsockexec" : "vsockexec " + name;
    }

    /** One line for the list of commands. */
    String summary() {
        return summary;
    }

    /** What follows the command's name in {@code Usage:}, e.g. {@code [OPTIONS] [--] COMMAND [ARG...]}. */
    String usage() {
        return usage;
    }

    List<String> description() {
        return description;
    }

    /** The command's options, then {@code --help} and {@code --verbose}. */
    List<Opt<?>> options() {
        return options;
    }

    /** The option named {@code name} ({@code --env} or {@code -e}), or null. */
    Opt<?> option(String name) {
        for (Opt<?> o : options) {
            if (o.named(name)) {
                return o;
            }
        }
        return null;
    }

    /** The arguments' name in messages, e.g. {@code COMMAND}. */
    String argumentLabel() {
        return argumentLabel;
    }

    int minArguments() {
        return minArguments;
    }

    int maxArguments() {
        return maxArguments;
    }

    boolean optionsEndAtFirstArgument() {
        return optionsEndAtFirstArgument;
    }

    boolean passThroughAfterDashDash() {
        return passThroughAfterDashDash;
    }

    /** The words a shell offers for the arguments, e.g. the shells of {@code completion}; empty for none. */
    List<String> argumentWords() {
        return argumentWords;
    }

    List<Section> sections() {
        return sections;
    }

    /** Builds a {@link CommandSpec}; a command without arguments is the default. */
    static final class Builder {
        private final String name;
        private String summary;
        private String usage = "[OPTIONS]";
        private final List<String> description = new ArrayList<>();
        private final List<Opt<?>> options = new ArrayList<>();
        private String argumentLabel = "ARG";
        private int minArguments;
        private int maxArguments;
        private boolean optionsEndAtFirstArgument;
        private boolean passThroughAfterDashDash;
        private List<String> argumentWords = List.of();
        private final List<Section> sections = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The one line in the list of commands. */
        Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /** What follows the command's name in {@code Usage:}; {@code [OPTIONS]} by default. */
        Builder usage(String usage) {
            this.usage = usage;
            return this;
        }

        /** A paragraph of the description, wrapped to the terminal's width. */
        Builder paragraph(String text) {
            description.add(text);
            return this;
        }

        /** The options, in the order help lists them. */
        Builder options(List<? extends Opt<?>> table) {
            options.addAll(table);
            return this;
        }

        /** Takes {@code min} to {@code max} arguments, named {@code label} in messages. */
        Builder arguments(String label, int min, int max) {
            this.argumentLabel = label;
            this.minArguments = min;
            this.maxArguments = max;
            return this;
        }

        /** The words a shell offers for the arguments. */
        Builder completingArguments(List<String> words) {
            this.argumentWords = words;
            return this;
        }

        /** Options end at the first argument; the words after it are its own. */
        Builder optionsEndAtFirstArgument() {
            this.optionsEndAtFirstArgument = true;
            return this;
        }

        /** The words after {@code --} are handed on, apart from the arguments. */
        Builder passThroughAfterDashDash() {
            this.passThroughAfterDashDash = true;
            return this;
        }

        /** A closing section of help, its lines printed as written. */
        Builder section(String title, String... lines) {
            sections.add(new Section(title, List.of(lines)));
            return this;
        }

        CommandSpec build() {
            return new CommandSpec(this);
        }
    }
}
