package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.TtySession;
import io.vsockexec.client.VsockExecClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind the agent's AOT cache (JEP 483/514/515): starts an agent through the
 * launcher with {@code VSOCKEXEC_AOT_OUTPUT}, so that the JVM records what the agent loads,
 * links and runs; drives a few sessions of every mode; stops it with SIGTERM, as an init would.
 * At exit the JVM writes the cache, which the launcher then gives every agent.
 *
 * <pre>{@code java -cp 'cli/target/lib/*' io.vsockexec.bench.AgentTraining cli/target/lib/agent.aot ./vsockexec agent}</pre>
 *
 * The build runs this at {@code package} time: module cli through {@code scripts/train-agent-aot},
 * on the JDK the launcher finds ({@code -Dvsockexec.aot.skip} skips it), and module agent-bundle
 * through {@code scripts/make-agent-bundle}, on the bundle's own runtime.
 */
public final class AgentTraining {
    /** Rounds of sessions: enough for the method profiles to show the steady state. */
    private static final int ROUNDS = 30;
    private static final Duration EXIT_LIMIT = Duration.ofMinutes(3);

    private AgentTraining() {}

    /**
     * Trains and writes the cache.
     *
     * @param args where the cache goes, then the command that starts an agent through a launcher,
     *     without its options (e.g. {@code bin/vsockexec agent}, or {@code bin/vsockexec-agent})
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AgentTraining OUTPUT.aot LAUNCHER [agent]");
            System.exit(2);
        }
        Path output = Path.of(args[0]).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(args).subList(1, args.length));
        command.set(0, Path.of(command.getFirst()).toAbsolutePath().toString());
        long start = System.nanoTime();
        train(command, output);
        System.out.println("vsockexec: trained the agent's AOT cache " + output + " (" + Files.size(output) / 1024
                + " KiB) in " + Figures.duration(System.nanoTime() - start));
    }

    /** Runs the training agent, {@code command}, and waits until it has written {@code output}. */
    static void train(List<String> command, Path output) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vsockexec-aot-");
        try {
            train(command, output, dir);
        } finally {
            Benchmark.deleteTree(dir);
        }
    }

    private static void train(List<String> command, Path output, Path dir) throws IOException, InterruptedException {
        Files.deleteIfExists(output);
        try (AgentProcess training = AgentProcess.start(command, BenchTransport.UNIX, dir, 0,
                env -> {
                    env.put("VSOCKEXEC_AOT_OUTPUT", output.toString());
                    // The user's own options must not leak into the cache's configuration.
                    env.remove("VSOCKEXEC_JAVA_OPTS");
                })) {
            training.awaitReady();
            exercise(VsockExecClient.of(training.endpoint()));
            // The agent stops cleanly, and the JVM writes the cache on its way out.
            int status = training.terminate(EXIT_LIMIT);
            if (status != 0 || !Files.isRegularFile(output)) {
                throw new IOException("the training agent exited " + status + " without writing " + output + ": "
                        + training.logTail());
            }
        }
    }

    /** Sessions of every mode, the ways hosts use them. */
    static void exercise(VsockExecClient client) throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            check(client.exec(Command.argv(ExecLatency.ARGV)), "");
            check(client.exec(Command.shell("echo trained")), "trained\n");
            check(client.exec(Command.argv("missing-program-for-training")), null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            expect(client.stream(Command.argv("seq", "1", "2000"), out, OutputStream.nullOutputStream()), 0);
            expect(client.stream(Command.argv("head", "-c", "1048576", "/dev/zero"), OutputStream.nullOutputStream(),
                    null), 0);
            expect(client.pipe(Command.argv("cat"), new ByteArrayInputStream(new byte[256 * 1024]),
                    OutputStream.nullOutputStream(), null), 0);
            try (TtySession tty = client.openTty(Command.shell("echo tty"), 24, 80)) {
                InputStream screen = tty.output();
                screen.transferTo(OutputStream.nullOutputStream());
                expect(tty.waitFor(), 0);
            }
        }
    }

    private static void check(ExecResult r, String stdout) throws IOException {
        if (stdout != null && (r.exitCode() != 0 || !r.stdoutText().equals(stdout))) {
            throw new IOException("training exec failed: " + r + " " + r.stderrText());
        }
    }

    private static void expect(ExecStatus status, int code) throws IOException {
        if (status.exitCode() != code) {
            throw new IOException("training session exited " + status.exitCode());
        }
    }
}
