package io.vsockexec.cli;

import io.vsockexec.client.Command;
import io.vsockexec.client.VsockExecClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vsockexec exec}: run a command in a VM, like {@code docker exec}. */
@CommandLine.Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Run a command in a VM through its agent. Output streams live to this terminal; "
                + "the exit status is the remote command's. One word after -- is a shell command line "
                + "(sh -c); several words are a program and its arguments, run without a shell.",
        footer = {
            "",
            "Examples:",
            "  # Firecracker / Cloud Hypervisor: the VM's vsock socket and guest port",
            "  vsockexec exec --connect hybrid:///srv/vm1/v.sock:5000 -- uname -a",
            "  # QEMU with -device vhost-vsock-pci,guest-cid=3",
            "  vsockexec exec --connect vsock://3:5000 -- 'dmesg | tail -5'",
            "  # an agent on a Unix socket (vsockexec agent --listen unix:///run/a.sock)",
            "  vsockexec exec --connect unix:///run/a.sock -e LC_ALL=C -w /tmp -u nobody id",
            "  # no VM at all: an agent inside this process, on a private socket",
            "  vsockexec exec --connect local -- uname -a",
            "  # a shell on a remote terminal; input from a pipe",
            "  vsockexec exec -it --connect vsock://3:5000 -- bash",
            "  tar c src | vsockexec exec -i --connect vsock://3:5000 -- tar x -C /srv",
            "",
            "Exit status:",
            "  0-255  the remote command's (128+N when signal N killed it)",
            "  255    vsockexec itself failed: cannot connect, protocol error, timeout,",
            "         malformed endpoint (one line on stderr)",
            "  2      wrong command line: bad option, no --connect and no VSOCKEXEC_CONNECT",
        })
public final class ExecCommand implements Callable<Integer> {
    /** A reader of this process's output that went away ended it, as SIGPIPE ends a shell pipeline member. */
    static final int BROKEN_PIPE = 128 + 13;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connect", paramLabel = "ENDPOINT",
            description = "The agent: vsock://CID:PORT, hybrid:///PATH:PORT, unix:///PATH, tcp://HOST:PORT, "
                    + "or local (an agent in this process). Default: $" + Target.ENV + ".")
    String connect;

    @Option(names = {"-i", "--interactive"}, description = "Send this process's standard input to the command; its end closes the command's input.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a remote terminal of this terminal's size. "
            + "With -i, this terminal goes raw and every keystroke is sent, Ctrl-C included. "
            + "Ignored, with a warning, when standard input is not a terminal.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VAL",
            description = "Set an environment variable; KEY alone passes this process's value, if set.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory in the VM.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "User in the VM: a name, UID or UID:GID.")
    String user;

    @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Stop the command (and fail with status 255) after this long, e.g. 30s, 5m.")
    Duration timeout;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command: one shell command line, or a program and its arguments.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Command command = command();
        PrintWriter err = spec.commandLine().getErr();
        boolean useTty = tty && ttyAvailable(err);
        LocalOutput out = LocalOutput.stdout();
        try (Target target = Target.resolve(connect)) {
            VsockExecClient client = VsockExecClient.of(target.endpoint());
            int code = run(client, command, useTty, out);
            return exitStatus(code, err);
        } catch (IOException e) {
            if (out.brokenPipe()) {
                return BROKEN_PIPE;
            }
            throw e;
        }
    }

    private int run(VsockExecClient client, Command command, boolean useTty, LocalOutput out) throws IOException {
        if (useTty) {
            return TtyExec.run(client, command, interactive, out);
        }
        if (interactive) {
            return client.pipe(command, new FileInputStream(FileDescriptor.in), out, LocalOutput.stderr()).exitCode();
        }
        return client.stream(command, out, LocalOutput.stderr()).exitCode();
    }

    /** The command from the words and options; a bad value is a usage error. */
    Command command() {
        try {
            Command command = words.size() == 1 ? Command.shell(words.getFirst()) : Command.argv(words);
            command = command.withEnv(environment());
            if (workdir != null) {
                command = command.withWorkingDir(workdir);
            }
            if (user != null) {
                command = command.withUser(user);
            }
            return timeout == null ? command : command.withTimeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** {@code -e} values: {@code KEY=VAL}, or {@code KEY} for this process's value (skipped when unset, as docker does). */
    private Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            int eq = entry.indexOf('=');
            if (eq == 0) {
                // By position: the value may be a secret.
                throw new CliException(ExitCodes.USAGE, "invalid --env number " + (i + 1)
                        + ": the name before '=' is empty; expected KEY=VAL or KEY");
            }
            if (eq > 0) {
                variables.put(entry.substring(0, eq), entry.substring(eq + 1));
            } else if (System.getenv(entry) != null) {
                variables.put(entry, System.getenv(entry));
            }
        }
        return variables;
    }

    /**
     * {@code -t} needs a local terminal on standard input. docker refuses {@code -it} without one
     * ("the input device is not a TTY"); vsockexec warns and runs without a terminal instead, so a
     * script written at a terminal still works in CI.
     */
    private static boolean ttyAvailable(PrintWriter err) {
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
    private static int exitStatus(int code, PrintWriter err) {
        if (code >= 0 && code <= 255) {
            return code;
        }
        err.println("vsockexec: the remote command ended with exit code " + code
                + (code == -1 ? " (how the Go reference agent reports a command killed by a signal)" : ""));
        err.flush();
        return ExitCodes.LOCAL_FAILURE;
    }
}
