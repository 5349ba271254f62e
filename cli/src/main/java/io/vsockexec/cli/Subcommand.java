package io.vsockexec.cli;

/**
 * A command of {@code vsockexec}, e.g. {@code exec}: its table of options and arguments, and what it
 * does with them. A new command is one class holding one of these, and its line in {@link Commands}.
 *
 * @param spec the options, arguments and help of the command
 * @param action what it does
 */
record Subcommand(CommandSpec spec, Action action) {
    /** What a command does with its parsed command line. */
    @FunctionalInterface
    interface Action {
        /**
         * Runs the command.
         *
         * @param args the command line, parsed by the spec; {@code --help} is handled before
         * @return the exit status
         * @throws CliException for a failure reported as one line with its own status; any other
         *     exception is reported as one line with status 255
         */
        int run(Args args, Console console) throws Exception;
    }

    /** Runs the command. */
    int run(Args args, Console console) throws Exception {
        return action.run(args, console);
    }
}
