package io.vsockexec.conformance;

import io.vsockexec.bench.JavaCommand;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite, its wire half included, against a real agent process started the way
 * {@link #agentCommand()} starts it, once per subclass, on the endpoint it names. Its log stays
 * after the run, for a failure to be read against: {@code target/agent-logs/CLASS.log}.
 */
abstract class AgentProcessSuite extends AgentProcessConformance {
    /** The agent as it runs in a VM, {@code java ... io.vsockexec.cli.Main agent}, on this module's test class path. */
    static List<String> agentCommand() {
        List<String> command = new ArrayList<>(JavaCommand.of("io.vsockexec.cli.Main", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        command.add("agent");
        return command;
    }

    /** The endpoint the agent listens on for exec sessions, in {@code dir}. */
    abstract Endpoint listenEndpoint(Path dir) throws IOException;

    /** The agent's readiness endpoint, in {@code dir}: by default a Unix socket. */
    Endpoint readyListenEndpoint(Path dir) throws IOException {
        return Endpoint.parse("unix://" + dir.resolve("ready.sock"));
    }

    @BeforeAll
    void startAgent(@TempDir Path dir) throws IOException {
        startAgent(agentCommand(), listenEndpoint(dir), readyListenEndpoint(dir), AGENT_OPTIONS,
                freshLog(getClass().getSimpleName()), env -> { });
    }
}
