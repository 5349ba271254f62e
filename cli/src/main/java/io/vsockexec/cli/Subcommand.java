package io.vsockexec.cli;

/**
 * A command of {@code vsockexec}, e.g. {@code exec}: its table of options and arguments, and what it
 * does with them. A new command is one class implementing this, and its line in {@link Commands}.
 */
interface Subcommand {
    /** The options, arguments and help of the command. */
    CommandSpec spec();

    /**
     * Runs the command.
     *
     * @param args the command line, parsed by {@link #spec()}; {@code --help} is handled before
     * @return the exit status
     * @throws CliException for a failure reported as one line with its own status; any other
     *     exception is reported as one line with status 255
     */
    int run(Args args, Console console) throws Exception;
}
