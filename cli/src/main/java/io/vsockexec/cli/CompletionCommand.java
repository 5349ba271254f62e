package io.vsockexec.cli;

import java.util.List;

/** {@code vsockexec completion bash|zsh}: the shell completion script, made from every command's table. */
final class CompletionCommand {
    private static final List<String> SHELLS = List.of("bash", "zsh");
    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("completion")
            .summary("Print a shell completion script (bash, zsh)")
            .usage(String.join("|", SHELLS))
            .paragraph("Print the script that completes vsockexec's commands, options and option values"
                    + " in bash or zsh. Load it into the shell, as the examples show.")
            .arguments("SHELL", 1, 1)
            .completingArguments(SHELLS)
            .section("Examples",
                    "# bash: this shell only, then every new one",
                    "source <(vsockexec completion bash)",
                    "vsockexec completion bash > ~/.local/share/bash-completion/completions/vsockexec",
                    "# zsh: a directory on $fpath, then restart the shell",
                    "vsockexec completion zsh > \"${fpath[1]}/_vsockexec\"")
            .build(), CompletionCommand::run);

    private CompletionCommand() {}

    private static int run(Args args, Console console) {
        String shell = args.arguments().getFirst();
        String script = switch (shell) {
            case "bash" -> Completion.bash(Commands.specs());
            case "zsh" -> Completion.zsh(Commands.specs());
            default -> throw CliException.badCommandLine("no completion for the shell \"" + shell + "\": "
                    + String.join(" or ", SHELLS), COMMAND.spec().fullName());
        };
        console.out().print(script);
        console.out().flush();
        return ExitCodes.OK;
    }
}
