package io.vsockexec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training runs behind the command line's AOT caches: the build runs each through the launcher
 * with {@code VSOCKEXEC_AOT_OUTPUT}, so that the JVM records what the command line's paths load,
 * link and run, and writes the cache at exit.
 *
 * <ul>
 *   <li>{@code commands LAUNCHER}, for {@code lib/cli.aot}: {@code exec} against a real agent over a
 *       Unix socket, its help, a usage error. The agent runs in a process of its own, so that its
 *       classes stay out of this cache.</li>
 *   <li>{@code info}, for {@code lib/info.aot}: {@code --version}, the help and the completion
 *       scripts alone. The JVM loads every class of its cache as it starts, and the native layer's
 *       and the linker's classes that an {@code exec} needs would double the start of
 *       {@code vsockexec --version}.</li>
 * </ul>
 *
 * <pre>{@code VSOCKEXEC_AOT_OUTPUT=lib/cli.aot VSOCKEXEC_MAIN_CLASS=io.vsockexec.cli.CliTraining bin/vsockexec commands bin/vsockexec}</pre>
 */
public final class CliTraining {
    /** Rounds of every path: enough for the method profiles to show the steady state. */
    private static final int ROUNDS = 20;
    private static final long LIMIT_SECONDS = 60;

    private CliTraining() {}

    /**
     * Runs one training.
     *
     * @param args {@code info}, or {@code commands} and the launcher to start the agent with
     */
    public static void main(String[] args) throws Exception {
        JdkStartup.apply();
        if (args.length == 1 && args[0].equals("info")) {
            info();
        } else if (args.length == 2 && args[0].equals("commands")) {
            commands(args[1]);
        } else {
            System.err.println("usage: CliTraining info | commands LAUNCHER");
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

    private static void commands(String launcher) throws Exception {
        Path dir = Files.createTempDirectory("vsockexec-cli-aot-");
        try {
            train(launcher, dir);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void train(String launcher, Path dir) throws Exception {
        String endpoint = "unix://" + dir.resolve("agent.sock");
        ProcessBuilder builder = new ProcessBuilder(launcher, "agent", "--listen", endpoint, "--no-ready")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        // This run's own settings must not reach the agent, which would write a cache of its own.
        env.remove("VSOCKEXEC_AOT_OUTPUT");
        env.remove("VSOCKEXEC_MAIN_CLASS");
        env.remove("VSOCKEXEC_JAVA_OPTS");
        env.put("VSOCKEXEC_SKIP_BUILD", "1");
        Process agent = builder.start();
        try {
            awaitReadyLine(agent);
            Console quiet = quiet();
            for (int round = 0; round < ROUNDS; round++) {
                expect(0, Main.run(quiet, "exec", "--connect", endpoint, "--", "true"));
                expect(0, Main.run(quiet, "exec", "--connect", endpoint, "true", "--"));
                expect(0, Main.run(quiet, "exec", "--help"));
                expect(ExitCodes.USAGE, Main.run(quiet, "exec", "--bogus"));
            }
        } finally {
            agent.destroy();
            if (!agent.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** Where the trained commands print: nowhere. */
    private static Console quiet() {
        return new Console(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void awaitReadyLine(Process agent) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("vsockexec agent ready")) {
            throw new IOException("the training agent did not start: " + line);
        }
    }

    private static void expect(int status, int actual) throws IOException {
        if (actual != status) {
            throw new IOException("a training run exited " + actual + " where " + status + " was expected");
        }
    }
}
