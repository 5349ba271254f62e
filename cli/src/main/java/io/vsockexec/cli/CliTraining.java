package io.vsockexec.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The training runs behind the command line's AOT caches: the build runs each through the launcher
 * with {@code VSOCKEXEC_AOT_OUTPUT}, so that the JVM records what the command line's paths load,
 * link and run, and writes the cache at exit.
 *
 * <ul>
 *   <li>{@code commands ENDPOINT}, for {@code lib/cli.aot}: {@code exec} against a real agent on
 *       the Unix socket ENDPOINT, its help, a usage error. {@code scripts/train-cli-aot} starts
 *       the agent, in a process of its own: what this JVM does besides the commands (start a
 *       process, make and remove a directory) would go into the cache, and every {@code exec}
 *       would load it as it starts.</li>
 *   <li>{@code info}, for {@code lib/info.aot}: {@code --version}, the help and the completion
 *       scripts alone. The JVM loads every class of its cache as it starts, and the native layer's
 *       and the linker's classes that an {@code exec} needs would double the start of
 *       {@code vsockexec --version}.</li>
 * </ul>
 *
 * <pre>{@code VSOCKEXEC_AOT_OUTPUT=lib/cli.aot VSOCKEXEC_MAIN_CLASS=io.vsockexec.cli.CliTraining bin/vsockexec commands unix:///tmp/a.sock}</pre>
 */
public final class CliTraining {
    /** Rounds of every path: enough for the method profiles to show the steady state. */
    private static final int ROUNDS = 20;

    private CliTraining() {}

    /**
     * Runs one training.
     *
     * @param args {@code info}, or {@code commands} and the endpoint of a running agent
     */
    public static void main(String[] args) throws Exception {
        JdkStartup.apply();
        if (args.length == 1 && args[0].equals("info")) {
            info();
        } else if (args.length == 2 && args[0].equals("commands")) {
            commands(args[1]);
        } else {
            System.err.println("usage: CliTraining info | commands ENDPOINT");
            System.exit(ExitCodes.USAGE);
        }
    }

    private static void info() throws IOException {
        Console quiet = quiet();
        for (int round = 0; round < ROUNDS; round++) {
            expect(0, Main.run(quiet, "--version"));
            expect(0, Main.run(quiet, "--help"));
            expect(0, Main.run(quiet, "help", "exec"));
            expect(0, Main.run(quiet, "completion", "bash"));
        }
    }

    private static void commands(String endpoint) throws IOException {
        Console quiet = quiet();
        for (int round = 0; round < ROUNDS; round++) {
            expect(0, Main.run(quiet, "exec", "--connect", endpoint, "--", "true"));
            expect(0, Main.run(quiet, "exec", "--connect", endpoint, "true", "--"));
            expect(0, Main.run(quiet, "exec", "--help"));
            expect(ExitCodes.USAGE, Main.run(quiet, "exec", "--bogus"));
        }
    }

    /** Where the trained commands print: nowhere. */
    private static Console quiet() {
        return new Console(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void expect(int status, int actual) throws IOException {
        if (actual != status) {
            throw new IOException("a training run exited " + actual + " where " + status + " was expected");
        }
    }
}
