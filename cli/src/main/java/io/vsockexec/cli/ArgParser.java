package io.vsockexec.cli;

/**
 * Parses a command's words by its {@link CommandSpec}, in the ways of getopt and docker:
 * {@code --name value} and {@code --name=value}; {@code -n value}, {@code -nvalue} and flags
 * together ({@code -it}); {@code --} ends the options. A bad word is a {@link CliException} usage
 * error naming it, with a hint to the command's help.
 */
final class ArgParser {
    private final CommandSpec spec;
    private final String[] words;
    private final Args args = new Args();
    private int next;

    private ArgParser(CommandSpec spec, String[] words, int start) {
        this.spec = spec;
        this.words = words;
        this.next = start;
    }

    /**
     * Parses {@code words[start...]}, the words after the command's name.
     *
     * @throws CliException with {@link ExitCodes#USAGE} for an unknown option, a missing or bad
     *     value, an option given twice that takes one value, or too few or too many arguments
     */
    static Args parse(CommandSpec spec, String[] words, int start) {
        ArgParser parser = new ArgParser(spec, words, start);
        parser.parse();
        return parser.args;
    }

    private void parse() {
        boolean optionsEnded = false;
        while (next < words.length) {
            String word = words[next++];
            if (optionsEnded) {
                args.addArgument(word);
            } else if (word.equals("--")) {
                restAfterDashDash();
            } else if (word.startsWith("--")) {
                longOption(word);
            } else if (word.startsWith("-") && word.length() > 1) {
                shortOptions(word);
            } else {
                args.addArgument(word);
                optionsEnded = spec.optionsEndAtFirstArgument();
            }
        }
        if (!args.has(Opt.HELP)) {
            checkArgumentCount();
        }
    }

    private void restAfterDashDash() {
        while (next < words.length) {
            String word = words[next++];
            if (spec.passThroughAfterDashDash()) {
                args.addPassThrough(word);
            } else {
                args.addArgument(word);
            }
        }
    }

    private void longOption(String word) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word : word.substring(0, eq);
        Opt<?> option = spec.option(name);
        if (option == null) {
            throw usage("unknown option " + name);
        }
        if (option.isFlag()) {
            if (eq >= 0) {
                throw usage("option " + name + " takes no value");
            }
            store(option, "");
        } else {
            store(option, eq >= 0 ? word.substring(eq + 1) : nextValue(option, name));
        }
    }

    /** {@code -it}, {@code -e KEY=VAL}, {@code -eKEY=VAL}: flags up to the first option that takes a value. */
    private void shortOptions(String word) {
        for (int i = 1; i < word.length(); i++) {
            String name = "-" + word.charAt(i);
            Opt<?> option = spec.option(name);
            if (option == null) {
                throw usage("unknown option " + name + (word.length() > 2 ? " in " + word : ""));
            }
            if (option.isFlag()) {
                store(option, "");
            } else {
                store(option, i + 1 < word.length() ? word.substring(i + 1) : nextValue(option, name));
                return;
            }
        }
    }

    private String nextValue(Opt<?> option, String name) {
        if (next >= words.length || words[next].equals("--")) {
            throw usage("option " + name + " needs a value (" + option.label() + ")");
        }
        return words[next++];
    }

    private <T> void store(Opt<T> option, String text) {
        if (args.has(option) && !option.isRepeatable() && !option.isFlag()) {
            throw usage("option " + option.longName() + " takes one value and was given twice");
        }
        T value;
        try {
            value = option.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        args.add(option, value);
    }

    private void checkArgumentCount() {
        int n = args.arguments().size();
        if (n < spec.minArguments()) {
            throw usage(spec.fullName() + " needs "
                    + (spec.minArguments() == 1 ? "" : "at least " + spec.minArguments() + " arguments: ")
                    + spec.argumentLabel());
        }
        if (n > spec.maxArguments()) {
            throw usage(spec.maxArguments() == 0
                    ? spec.fullName() + " takes no arguments, but was given \"" + args.arguments().getFirst() + "\""
                    : spec.fullName() + " takes at most " + spec.maxArguments() + " " + spec.argumentLabel()
                            + ", but was given " + n);
        }
    }

    private CliException usage(String message) {
        return CliException.badCommandLine(message, spec.fullName());
    }
}
