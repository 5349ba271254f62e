package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.base.Timeout;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of an agent in this JVM share: a directory of their own for its sockets, its log
 * lines as it writes them, and connections to it.
 */
abstract class InProcessAgentTest {
    /** Generous: only a test that is failing comes near it. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The agent's log lines, for the tests that check what it logs. */
    final List<String> log = new CopyOnWriteArrayList<>();

    /** An agent on {@code exec.sock} in {@link #dir}, with no readiness endpoint and a short grace, logging into {@link #log}. */
    AgentConfig.Builder config() {
        return AgentConfig.builder().listen(Endpoint.parse("unix://" + dir.resolve("exec.sock"))).ready(List.of())
                .grace(Duration.ofSeconds(2)).log(Log.to("vsockexec agent", log::add));
    }

    /** A connection to {@code endpoint}; connecting and each read wait at most {@link #PATIENCE}. */
    static Connection dial(Endpoint endpoint) throws IOException {
        Connection c = Transports.dial(endpoint, Deadline.after(PATIENCE));
        c.readTimeout(Timeout.of(PATIENCE));
        return c;
    }
}
