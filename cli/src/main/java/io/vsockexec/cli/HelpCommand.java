package io.vsockexec.cli;

/** {@code vsockexec help [COMMAND]}: the program's help, or a command's, as {@code --help} prints it. */
final class HelpCommand {
    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("help")
            .summary("Print the help of vsockexec or of a command")
            .usage("[COMMAND]")
            .paragraph("Print the help of a command, the same as 'vsockexec COMMAND --help'; without one,"
                    + " the list of commands.")
            .arguments("COMMAND", 0, 1)
            .completingArguments(Commands.NAMES)
            .section("Examples", "vsockexec help exec")
            .build(), HelpCommand::run);

    private HelpCommand() {}

    private static int run(Args args, Console console) {
        console.out().print(args.arguments().isEmpty() ? Main.help()
                : Help.of(Main.command(args.arguments().getFirst()).spec()));
        console.out().flush();
        return ExitCodes.OK;
    }
}
