package io.vsockexec.cli;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the tests that run the real CLI in a child JVM against one real agent, shared by
 * the class: the agent listens on an emulated Firecracker socket in {@link #dir}, at {@link #endpoint}.
 */
abstract class AgentCliTest {
    @TempDir
    static Path dir;
    static Agent agent;
    static String endpoint;

    @BeforeAll
    static void startAgent() throws IOException {
        agent = Agent.start(AgentConfig.builder()
                .listen(Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000"))
                .ready(List.of())
                .log(Log.discard())
                .build());
        endpoint = agent.endpoints().getFirst().toString();
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    /** The CLI's {@code command --connect endpoint}, then {@code words}. */
    static CliProcess.Result run(String command, List<String> words) throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "--connect", endpoint));
        args.addAll(words);
        return CliProcess.run(args, Map.of(), null);
    }
}
