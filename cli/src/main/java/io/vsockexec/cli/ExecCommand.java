package io.vsockexec.cli;

import io.vsockexec.client.ClientOptions;
import io.vsockexec.client.Command;
import io.vsockexec.client.VsockExecClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** {@code vsockexec exec}: run a command in a VM, like {@code docker exec}. */
final class ExecCommand {
    static final Opt<String> CONNECT = AgentEndpoint.option("The agent: " + AgentEndpoint.FORMS
            + ", or local (an agent in this process).");
    static final Opt<Boolean> INTERACTIVE = Opt.flag("-i, --interactive",
            "Send this process's standard input to the command; its end closes the command's input.");
    static final Opt<Boolean> TTY = Opt.flag("-t, --tty", "Run the command on a remote terminal of this"
            + " terminal's size. With -i, this terminal goes raw and every keystroke is sent, Ctrl-C included."
            + " Ignored, with a warning, when standard input is not a terminal.");
    static final Opt<String> ENV = Opt.text("-e, --env", "KEY=VAL",
            "Set an environment variable; KEY alone passes this process's value, if set. Repeatable.").repeatable();
    static final Opt<String> ENV_FILE = Opt.text("--env-file", "FILE", "Read variables from a file: a KEY=VAL"
            + " or KEY per line, as -e takes them; blank lines and lines starting with # are skipped. -e wins over"
            + " it. Repeatable.").repeatable().completingFiles();
    static final Opt<String> WORKDIR = Opt.text("-w, --workdir", "DIR",
            "Working directory in the VM, an absolute path.");
    static final Opt<String> USER = Opt.text("-u, --user", "USER", "User in the VM: a name, UID or UID:GID.");
    static final Opt<Duration> TIMEOUT = Opt.value("--timeout", "DURATION", Values::positiveDuration,
            "Stop the command (and fail with status 255) after this long, e.g. 30s, 5m.");

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("exec")
            .summary("Run a command in a VM")
            .usage("[OPTIONS] [--] COMMAND [ARG...]")
            .paragraph("Run a command in a VM through its agent. Output streams live to this terminal; the exit"
                    + " status is the remote command's. One word after -- is a shell command line (sh -c);"
                    + " several words are a program and its arguments, run without a shell. Options end at the"
                    + " command's first word, as in docker exec.")
            .options(List.of(CONNECT, INTERACTIVE, TTY, ENV, ENV_FILE, WORKDIR, USER, TIMEOUT))
            .arguments("COMMAND", 1, Integer.MAX_VALUE)
            .optionsEndAtFirstArgument()
            .section("Examples",
                    "# Firecracker / Cloud Hypervisor: the VM's vsock socket and guest port",
                    "vsockexec exec --connect hybrid:///srv/vm1/v.sock:5000 -- uname -a",
                    "# QEMU with -device vhost-vsock-pci,guest-cid=3",
                    "vsockexec exec --connect vsock://3:5000 -- 'dmesg | tail -5'",
                    "# an agent on a Unix socket (vsockexec agent --listen unix:///run/a.sock)",
                    "vsockexec exec --connect unix:///run/a.sock -e LC_ALL=C -w /tmp -u nobody id",
                    "# no VM at all: an agent inside this process, on a private socket",
                    "vsockexec exec --connect local -- uname -a",
                    "# a shell on a remote terminal; input from a pipe",
                    "vsockexec exec -it --connect vsock://3:5000 -- bash",
                    "tar c src | vsockexec exec -i --connect vsock://3:5000 -- tar x -C /srv")
            .section("Exit status",
                    "0-255  the remote command's (128+N when signal N ended it: 130 for SIGINT)",
                    "126    the command could not be run: not executable, a missing or relative",
                    "       working directory, an unknown user",
                    "127    the program was not found",
                    "141    the reader of this command's output went away (SIGPIPE)",
                    "255    vsockexec itself failed: cannot connect, protocol error, timeout,",
                    "       malformed endpoint (one line on stderr)",
                    "2      wrong command line: bad option, no --connect and no $" + AgentEndpoint.ENV)
            .build(), ExecCommand::run);

    private ExecCommand() {}

    private static int run(Args args, Console console) throws Exception {
        Command command = command(args);
        boolean useTty = args.has(TTY) && ttyAvailable(console.err());
        LocalOutput out = LocalOutput.stdout();
        try (AgentEndpoint agent = AgentEndpoint.resolve(args.get(CONNECT))) {
            // A command line is a short-lived process: the JDK's channels spare it the native linking.
            VsockExecClient client = VsockExecClient.of(agent.endpoint(), ClientOptions.defaults().withJdkChannels(true));
            int code = execute(client, command, useTty, args.has(INTERACTIVE), out);
            if (code == ExitCodes.NOT_FOUND) {
                ShellWords.explainNotFound(args.arguments(), console.err());
            }
            return exitStatus(code, console.err());
        } catch (IOException e) {
            if (out.brokenPipe()) {
                return ExitCodes.BROKEN_PIPE;
            }
            throw e;
        }
    }

    private static int execute(VsockExecClient client, Command command, boolean useTty, boolean interactive,
            LocalOutput out) throws IOException {
        if (useTty) {
            return TtyExec.run(client, command, interactive, out);
        }
        if (interactive) {
            return client.pipe(command, new FileInputStream(FileDescriptor.in), out, LocalOutput.stderr()).exitCode();
        }
        return client.stream(command, out, LocalOutput.stderr()).exitCode();
    }

    /**
     * The command the words and options describe.
     *
     * @throws CliException with status 2 for a bad value, 126 for a working directory that is not
     *     absolute (as docker exec fails a command that cannot start)
     */
    static Command command(Args args) {
        List<String> words = args.arguments();
        String workdir = args.get(WORKDIR);
        if (workdir != null && !workdir.startsWith("/")) {
            throw CliException.failure(ExitCodes.CANNOT_RUN, "cannot run the command: the working directory \""
                    + workdir + "\" is not an absolute path", null);
        }
        try {
            Command command = words.size() == 1 ? Command.shell(words.getFirst()) : Command.argv(words);
            command = command.withEnv(Environment.of(args.all(ENV_FILE), args.all(ENV)));
            if (workdir != null) {
                command = command.withWorkingDir(workdir);
            }
            if (args.has(USER)) {
                command = command.withUser(args.get(USER));
            }
            return args.has(TIMEOUT) ? command.withTimeout(args.get(TIMEOUT)) : command;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /**
     * {@code -t} needs a local terminal on standard input. docker refuses {@code -it} without one
     * ("the input device is not a TTY"); vsockexec warns and runs without a terminal instead, so a
     * script written at a terminal still works in CI.
     */
    private static boolean ttyAvailable(PrintStream err) {
        if (TtyExec.available()) {
            return true;
        }
        err.println("vsockexec: warning: the input device is not a TTY; running without a terminal (-t ignored)");
        err.flush();
        return false;
    }

    /**
     * The remote code as this process's status. Codes outside 0 to 255 cannot be an exit status;
     * the Go reference agent sends -1 for a command killed by a signal.
     */
    private static int exitStatus(int code, PrintStream err) {
        if (code >= 0 && code <= 255) {
            return code;
        }
        err.println("vsockexec: the remote command ended with exit code " + code
                + (code == -1 ? " (how the Go reference agent reports a command killed by a signal)" : ""));
        err.flush();
        return ExitCodes.LOCAL_FAILURE;
    }
}
