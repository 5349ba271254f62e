package io.vsockexec.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real CLI, in a child JVM, against a real agent on an emulated Firecracker socket. */
class CliExecTest extends AgentCliTest {
    private static CliProcess.Result exec(String... commandWords) throws Exception {
        List<String> words = new java.util.ArrayList<>(List.of("--"));
        words.addAll(List.of(commandWords));
        return run("exec", words);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true              | 0",
        "exit 3            | 3",
        "no-such-program   | 127",
        "kill -INT $$      | 130",
        "kill -KILL $$     | 137",
    })
    void remoteExitStatusBecomesTheCliStatus(String shellCommand, int status) throws Exception {
        CliProcess.Result r = exec(shellCommand);
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isEqualTo(status);
    }

    @Test
    void outputAndErrorGoToTheirOwnStreams() throws Exception {
        CliProcess.Result r = exec("echo out; echo err >&2");
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void envWorkdirAndUserApply() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching user needs root");
        CliProcess.Result r = CliProcess.run(List.of("exec", "--connect", endpoint, "-e", "GREETING=hi there",
                "-w", "/tmp", "-u", "nobody", "sh", "-c", "echo \"$GREETING\"; pwd; id -u"), Map.of(), null);
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.out()).isEqualTo("hi there\n/tmp\n65534\n");
    }

    @Test
    void aWorkingDirectoryThatCannotBeUsedExits126WhetherMissingOrRelative() throws Exception {
        CliProcess.Result missing = CliProcess.run("exec", "--connect", endpoint, "-w", "/no/such/dir", "pwd");
        assertThat(missing.exitCode()).as("stderr: %s", missing.stderr()).isEqualTo(ExitCodes.CANNOT_RUN);
        assertThat(missing.errLines()).hasSize(1).first().asString().contains("/no/such/dir");

        CliProcess.Result relative = CliProcess.run("exec", "--connect", endpoint, "-w", "tmp", "pwd");
        assertThat(relative.exitCode()).as("stderr: %s", relative.stderr()).isEqualTo(ExitCodes.CANNOT_RUN);
        assertThat(relative.errLines()).containsExactly(
                "vsockexec: cannot run the command: the working directory \"tmp\" is not an absolute path");
    }

    @Test
    void envFileVariablesReachTheCommand() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.env"), "# for the test\nGREETING=hello there\nOTHER=1\n");
        CliProcess.Result r = CliProcess.run("exec", "--connect", endpoint, "--env-file", file.toString(),
                "-e", "OTHER=2", "--", "echo \"$GREETING $OTHER\"");
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.out()).isEqualTo("hello there 2\n");
    }

    @Test
    void oneWordThatLooksLikeAPathWithSpacesIsExplainedWhenNotFound() throws Exception {
        CliProcess.Result r = exec("/opt/no such dir/run");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errLines()).last().asString().isEqualTo("vsockexec: hint: one word after -- is a shell command"
                + " line, and the shell split \"/opt/no such dir/run\" at its spaces; to run it as one program, quote"
                + " it for the shell: -- \"'/opt/no such dir/run'\"");

        CliProcess.Result plain = exec("no-such-program");
        assertThat(plain.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(plain.stderr()).doesNotContain("hint");
    }

    @Test
    void verboseDebugLinesAreOneLineEach() throws Exception {
        CliProcess.Result r = CliProcess.run("-v", "exec", "--connect", endpoint, "--", "true");
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.errLines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("vsockexec: debug: "));
    }

    @Test
    void interactiveInputOf16MiBGoesThroughCatIntact() throws Exception {
        Path input = dir.resolve("input.bin");
        byte[] chunk = new byte[1 << 20];
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < 16; i++) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
        }
        ProcessBuilder pb = CliProcess.builder(List.of("exec", "-i", "--connect", endpoint, "--", "cat"), Map.of());
        pb.redirectInput(input.toFile());
        Process p = pb.start();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        CliProcess.Result r = CliProcess.collect(p, new DigestInputStream(p.getInputStream(), received));
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void timeoutIsOneLineAndStatus255() throws Exception {
        CliProcess.Result r = CliProcess.run(List.of("exec", "--connect", endpoint, "--timeout", "500ms", "--",
                "sleep 30"), Map.of(), null);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
        assertThat(r.errLines()).containsExactly("vsockexec: command on " + endpoint + " timed out after 500ms");
    }

    @Test
    void ttyWithoutATerminalWarnsAndRunsPlain() throws Exception {
        CliProcess.Result r = CliProcess.run(List.of("exec", "-it", "--connect", endpoint, "--", "tty"), Map.of(), null);
        assertThat(r.errLines()).containsExactly(
                "vsockexec: warning: the input device is not a TTY; running without a terminal (-t ignored)");
        assertThat(r.out()).isEqualTo("not a tty\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void connectLocalRunsTheCommandInAnAgentInsideTheCli() throws Exception {
        Process uname = new ProcessBuilder("uname", "-a").start();
        String expected = new String(uname.getInputStream().readAllBytes(), UTF_8);
        CliProcess.Result r = CliProcess.run("exec", "--connect", "local", "--", "uname", "-a");
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.out()).isEqualTo(expected);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void brokenPipeOnOutputEndsQuietly() throws Exception {
        ProcessBuilder pb = CliProcess.builder(List.of("exec", "--connect", endpoint, "--", "yes"), Map.of());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try (InputStream out = p.getInputStream()) {
            new DataInputStream(out).readFully(new byte[4]); // "y\ny\n", then the reader goes away
        }
        CliProcess.Result r = CliProcess.collect(p, InputStream.nullInputStream());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BROKEN_PIPE);
        assertThat(r.stderr()).isEmpty();
    }

    static Duration patience() {
        return CliProcess.PATIENCE;
    }
}
