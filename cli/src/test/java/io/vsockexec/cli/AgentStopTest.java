package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.transport.Endpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStopTest {
    @TempDir
    Path dir;

    private Agent startAgent() throws Exception {
        return Agent.start(AgentConfig.builder().listen(Endpoint.parse("unix://" + dir.resolve("a.sock")))
                .ready(List.of()).build());
    }

    @Test
    void aStopAskedForBeforeTheAgentArrivesStopsItAsItArrives() throws Exception {
        AgentStop stop = new AgentStop();
        stop.request();
        Agent agent = startAgent();
        try {
            stop.arrived(agent);

            assertThat(agent.isTerminated()).isTrue();
        } finally {
            agent.shutdown();
        }
    }

    @Test
    void aStopAskedForOnceTheAgentHasArrivedStopsItThenAndNotBefore() throws Exception {
        AgentStop stop = new AgentStop();
        Agent agent = startAgent();
        try {
            stop.arrived(agent);
            assertThat(agent.isTerminated()).isFalse();

            stop.request();

            assertThat(agent.isTerminated()).isTrue();
        } finally {
            agent.shutdown();
        }
    }
}
