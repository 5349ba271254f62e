package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.JavaCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command line in a child JVM, as a user would: {@code java -cp <test class path>
 * io.vsockexec.cli.Main ARGS}, with a clean {@code VSOCKEXEC_CONNECT}.
 */
final class CliProcess {
    /** Only a broken test waits this long. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private CliProcess() {}

    /** What a finished run printed and returned. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The lines of stderr, for the one-line-error checks. */
        List<String> errLines() {
            return stderr.lines().toList();
        }
    }

    /** The child JVM's command line for {@code args}. */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(JavaCommand.of(Main.class.getName(), "-XX:TieredStopAtLevel=1",
                "--add-exports", "java.base/sun.security.jca=ALL-UNNAMED",
                "-Xshare:auto"));
        command.addAll(args);
        return command;
    }

    static Result run(String... args) throws Exception {
        return run(List.of(args), Map.of(), (byte[]) null);
    }

    static Result run(List<String> args, Map<String, String> env, byte[] stdin) throws Exception {
        ProcessBuilder pb = builder(args, env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (stdin != null) {
            Thread.ofVirtual().start(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The CLI may exit without reading all of it; its result tells.
                }
            });
        }
        return collect(p, p.getInputStream());
    }

    /** Starts the CLI; the caller feeds and reads it. */
    static ProcessBuilder builder(List<String> args, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().remove(AgentEndpoint.ENV);
        pb.environment().putAll(env);
        return pb;
    }

    /** Waits for {@code p}, reading its stdout from {@code stdout} and its stderr. */
    static Result collect(Process p, InputStream stdout) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(stdout, out));
        boolean exited = p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as("CLI exited; stderr so far: %s", err).isTrue();
        assertThat(outReader.join(PATIENCE)).isTrue();
        assertThat(errReader.join(PATIENCE)).isTrue();
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
