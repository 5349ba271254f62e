package io.vsockexec.conformance;

import io.vsockexec.client.Readiness;
import io.vsockexec.nativeio.Deadline;
import io.vsockexec.transport.Endpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite against a real agent process ({@code vsockexec agent}, the CLI's main
 * class on this module's class path), started once per subclass on the endpoint it names.
 */
abstract class AgentProcessSuite extends ConformanceSuite {
    private Process agent;
    private Path log;
    private Endpoint exec;

    /** The endpoint the agent listens on for exec sessions, in {@code dir}. */
    abstract Endpoint listenEndpoint(Path dir) throws IOException;

    @Override
    protected Endpoint execEndpoint() {
        return exec;
    }

    @BeforeAll
    void startAgent(@TempDir Path dir) throws Exception {
        exec = listenEndpoint(dir);
        Endpoint ready = Endpoint.parse("unix://" + dir.resolve("ready.sock"));
        log = dir.resolve("agent.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        agent = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, "io.vsockexec.cli.Main", "agent", "--listen", exec.toString(),
                "--ready", ready.toString()))
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Readiness.await(ready, Deadline.after(Duration.ofSeconds(60)));
        } catch (IOException e) {
            agent.destroyForcibly();
            throw new IOException("agent did not become ready; its output:\n" + Files.readString(log), e);
        }
    }

    @AfterAll
    void stopAgent() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }
}
