package io.vsockexec.conformance;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.bench.JavaCommand;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite, its wire half included, against a real agent process
 * ({@link AgentProcess}, the way {@link #agentCommand()} starts it), started once per subclass on
 * the endpoint it names. Its log stays after the run, for a failure to be read against:
 * {@code target/agent-logs/CLASS.log}.
 */
abstract class AgentProcessSuite extends ConformanceSuite {
    /**
     * Short cancellation and request timeouts, so the tests that wait them out are quick; the
     * same as {@code scripts/vsock-e2e} gives the agent inside user-mode Linux.
     */
    static final List<String> AGENT_OPTIONS = List.of("--grace", "2s", "--request-timeout", "5s");

    /** The agent as it runs in a VM, {@code java ... io.vsockexec.cli.Main agent}, on this module's test class path. */
    static List<String> agentCommand() {
        List<String> command = new ArrayList<>(JavaCommand.of("io.vsockexec.cli.Main", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        command.add("agent");
        return command;
    }

    private AgentProcess agent;
    private Endpoint exec;
    private Endpoint ready;

    /** The endpoint the agent listens on for exec sessions, in {@code dir}. */
    abstract Endpoint listenEndpoint(Path dir) throws IOException;

    /** The agent's readiness endpoint, in {@code dir}: by default a Unix socket. */
    Endpoint readyListenEndpoint(Path dir) throws IOException {
        return Endpoint.parse("unix://" + dir.resolve("ready.sock"));
    }

    @Override
    protected Endpoint execEndpoint() {
        return exec;
    }

    @Override
    protected Endpoint readyEndpoint() {
        return ready;
    }

    @BeforeAll
    void startAgent(@TempDir Path dir) throws IOException {
        exec = listenEndpoint(dir);
        ready = readyListenEndpoint(dir);
        Path logs = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "agent-logs"));
        Path log = logs.resolve(getClass().getSimpleName() + ".log");
        Files.deleteIfExists(log);
        agent = AgentProcess.start(agentCommand(), List.of(exec), ready, AGENT_OPTIONS, log, env -> { });
        agent.awaitReady(); // if it does not get ready, stopAgent still stops it
    }

    @AfterAll
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}
