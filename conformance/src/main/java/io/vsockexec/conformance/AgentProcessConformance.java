package io.vsockexec.conformance;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite against an agent process ({@link AgentProcess}) that the subclass starts
 * once, in its {@code @BeforeAll}, with {@link #startAgent}; the process is stopped after the
 * suite. Its log is kept for a failure to be read against, in {@code target/agent-logs}.
 */
public abstract class AgentProcessConformance extends ConformanceSuite {
    /**
     * Short cancellation and request timeouts, so the tests that wait them out are quick; the
     * same as {@code scripts/vsock-e2e} gives the agent inside user-mode Linux.
     */
    protected static final List<String> AGENT_OPTIONS = List.of("--grace", "2s", "--request-timeout", "5s");

    private AgentProcess agent;
    private Endpoint exec;
    private Endpoint ready;

    /**
     * An agent process ({@link AgentProcess#start}) once it is ready; stopped again if it does not
     * get ready.
     */
    static AgentProcess startReady(List<String> command, List<Endpoint> listen, Endpoint ready, List<String> options,
            Path log, Consumer<Map<String, String>> environment) throws IOException {
        AgentProcess agent = AgentProcess.start(command, listen, ready, options, log, environment);
        try {
            agent.awaitReady();
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    /** {@code target/agent-logs/NAME.log} under the working directory, its directory made and an old log removed. */
    protected static Path freshLog(String name) throws IOException {
        Path logs = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "agent-logs"));
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    /**
     * Starts this suite's agent with {@code command}, serving on {@code exec}, and waits until it
     * is ready on {@code ready}.
     *
     * @param environment given the agent's environment (this process's) to change before it starts
     */
    protected final AgentProcess startAgent(List<String> command, Endpoint exec, Endpoint ready, List<String> options,
            Path log, Consumer<Map<String, String>> environment) throws IOException {
        this.exec = exec;
        this.ready = ready;
        agent = startReady(command, List.of(exec), ready, options, log, environment);
        return agent;
    }

    @Override
    protected final Endpoint execEndpoint() {
        return exec;
    }

    @Override
    protected final Endpoint readyEndpoint() {
        return ready;
    }

    @AfterAll
    final void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}
