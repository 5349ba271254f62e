package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK examples of README.md (the short one) and docs/SDK.md (the complete one), kept compiling
 * and running against a real agent, and kept identical to what the pages show.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    /** README.md's code, verbatim between the markers. */
    static int readmeExample(String execEndpoint, String readyEndpoint) throws IOException {
        // README-BEGIN
        VsockExecClient vm = VsockExecClient.connect(execEndpoint);   // e.g. "hybrid:///srv/vm1/v.sock:5000"
        Readiness.await(Endpoint.parse(readyEndpoint), Duration.ofSeconds(30));
        ExecResult r = vm.exec(Command.shell("uname -a"));             // buffered: exit code and output
        System.out.print(r.stdoutText());
        Command build = Command.argv("sh", "-c", "echo building").withTimeout(Duration.ofMinutes(10));
        int code = vm.stream(build, System.out, System.err).exitCode(); // streamed as it is written
        // README-END
        return code;
    }

    /** docs/SDK.md's code, verbatim between the markers. */
    static int sdkGuideExample(String execEndpoint, String readyEndpoint) throws IOException {
        // SDK-BEGIN
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
        // SDK-END
        return code;
    }

    /** docs/SDK.md's files-and-ports code, verbatim between the markers. */
    static byte[] filesExample(VsockExecClient vm, String appDir, int webPort, byte[] config) throws IOException {
        // FILES-BEGIN
        vm.writeFile(appDir + "/config.json", config, 0600);          // appDir: e.g. "/srv/app"
        byte[] copy = vm.readFile(appDir + "/config.json");
        for (RemoteFile f : vm.list(appDir)) {
            System.out.println(f.name() + " " + Integer.toOctalString(f.mode()));
        }
        try (ForwardedConnection web = vm.forward(webPort)) {         // webPort: e.g. 8080, in the VM
            web.output().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            web.shutdownOutput();                                      // the request is complete
            System.out.write(web.input().readAllBytes());
        }
        // FILES-END
        return copy;
    }

    /** One of the examples above, run against a real agent. */
    private interface Example {
        int run(String execEndpoint, String readyEndpoint) throws IOException;
    }

    @Test
    void readmeExampleRunsAgainstARealAgent() throws Exception {
        assertThat(printedBy(ReadmeExampleTest::readmeExample)).startsWith("Linux ").endsWith("\nbuilding\n");
    }

    @Test
    void sdkGuideExampleRunsAgainstARealAgent() throws Exception {
        assertThat(printedBy(ReadmeExampleTest::sdkGuideExample)).startsWith("Linux ")
                .endsWith("\nbuilding\ndone\nhello\n");
    }

    @Test
    void sdkGuideFilesExampleRunsAgainstARealAgent() throws Exception {
        Path app = Files.createDirectory(dir.resolve("app"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (ServerSocket web = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RealAgent agent = RealAgent.start(dir)) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = web.accept()) {
                    s.getInputStream().readAllBytes();
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the example's output shows it
                }
            });
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            byte[] copy = filesExample(agent.client(), app.toString(), web.getLocalPort(), "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(copy).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("config.json 100600\nHTTP/1.0 200 OK\r\n\r\nhello\n");
    }

    @Test
    void sdkGuideShowsExactlyItsFilesExample() throws Exception {
        assertThat(Files.readString(Path.of("../docs/SDK.md"))).contains(javaBlock("FILES"));
    }

    @Test
    void readmeShowsExactlyItsExample() throws Exception {
        assertThat(Files.readString(Path.of("../README.md"))).contains(javaBlock("README"));
    }

    @Test
    void sdkGuideShowsExactlyItsExample() throws Exception {
        assertThat(Files.readString(Path.of("../docs/SDK.md"))).contains(javaBlock("SDK"));
    }

    /** What {@code example} printed to standard output, having exited 0. */
    private String printedBy(Example example) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (RealAgent agent = RealAgent.start(dir)) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(example.run(agent.execEndpoint().toString(), agent.readyEndpoint().toString())).isZero();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The code between {@code // MARKER-BEGIN} and {@code // MARKER-END} in this file, as a markdown block. */
    private static String javaBlock(String marker) throws IOException {
        String test = Files.readString(Path.of("src/test/java/io/vsockexec/client/ReadmeExampleTest.java"));
        String begin = "// " + marker + "-BEGIN\n";
        String code = test.substring(test.indexOf(begin) + begin.length(), test.indexOf("        // " + marker + "-END"));
        String unindented = code.lines().map(line -> line.length() > 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
        return "```java\n" + unindented + "```\n";
    }
}
