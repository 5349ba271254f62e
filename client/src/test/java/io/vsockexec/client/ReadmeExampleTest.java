package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK example of README.md, kept compiling and running against a real agent. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    /** The README's code, verbatim between the markers. */
    static int example(String execEndpoint, String readyEndpoint) throws IOException {
        // README-BEGIN
        VsockExecClient vm = VsockExecClient.connect(execEndpoint);   // e.g. "hybrid:///srv/vm1/v.sock:5000"
        Readiness.await(Endpoint.parse(readyEndpoint), Duration.ofSeconds(30));

        // Buffered: exit code and all output.
        ExecResult r = vm.exec(Command.shell("uname -a"));
        System.out.print(r.stdoutText());

        // Streaming: output as it is produced; a time limit that stops the command when it passes.
        Command build = Command.argv("sh", "-c", "echo building; echo done")
                .withEnv("CI", "1")
                .withWorkingDir("/tmp")
                .withTimeout(Duration.ofMinutes(10));
        int code = vm.stream(build, System.out, System.err).exitCode();

        // Piped input, signals on demand.
        try (PipeExecution cat = vm.startPipe(Command.argv("cat"), null, System.out, System.err)) {
            cat.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            cat.stdin().close();                                      // end of input: cat exits
            code = cat.waitFor().exitCode();
        }
        // README-END
        return code;
    }

    @Test
    void readmeExampleRunsAgainstARealAgent() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (RealAgent agent = RealAgent.start(dir)) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(example(agent.execEndpoint().toString(), agent.readyEndpoint().toString())).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("Linux ").endsWith("building\ndone\nhello\n");
    }

    @Test
    void readmeShowsExactlyThisCode() throws Exception {
        String test = Files.readString(Path.of("src/test/java/io/vsockexec/client/ReadmeExampleTest.java"));
        String code = test.substring(test.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
                test.indexOf("        // README-END"));
        String unindented = code.lines().map(line -> line.length() > 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("```java\n" + unindented + "```\n");
    }
}
