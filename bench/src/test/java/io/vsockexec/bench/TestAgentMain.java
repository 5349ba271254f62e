package io.vsockexec.bench;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent process for the smoke test, started as the benchmark starts agents: with
 * {@code --listen}, {@code --ready}, {@code --max-sessions} and {@code --max-memory}. (The real command, {@code
 * vsockexec agent}, lives in the module above this one.)
 */
public final class TestAgentMain {
    private TestAgentMain() {}

    public static void main(String[] args) throws Exception {
        List<Endpoint> listen = new ArrayList<>();
        List<Endpoint> ready = new ArrayList<>();
        AgentConfig.Builder config = AgentConfig.builder();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen.add(Endpoint.parse(args[i + 1]));
                case "--ready" -> ready.add(Endpoint.parse(args[i + 1]));
                case "--max-sessions" -> config.maxSessions(Integer.parseInt(args[i + 1]));
                // Only the form the benchmark passes: whole MiB.
                case "--max-memory" -> config.maxMemory(Long.parseLong(args[i + 1].replace("MiB", "")) << 20);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (Agent agent = Agent.start(config.listen(listen).ready(ready).build())) {
            System.out.println("test agent ready");
            agent.awaitTermination();
        }
    }
}
