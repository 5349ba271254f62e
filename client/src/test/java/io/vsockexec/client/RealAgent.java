package io.vsockexec.client;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real agent in the test JVM, on a hybrid endpoint (an emulated Firecracker VM socket). */
final class RealAgent implements AutoCloseable {
    private final Agent agent;

    private RealAgent(Agent agent) {
        this.agent = agent;
    }

    /** Exec on {@code hybrid://DIR/vm.sock:5000}, readiness on port 5002 of the same socket. */
    static RealAgent start(Path dir) throws IOException {
        Path vm = dir.resolve("vm.sock");
        AgentConfig config = AgentConfig.builder()
                .listen(Endpoint.parse("hybrid://" + vm + ":5000"))
                .ready(Endpoint.parse("hybrid://" + vm + ":5002"))
                .grace(Duration.ofSeconds(2))
                .log(Log.discard())
                .build();
        return new RealAgent(Agent.start(config));
    }

    /** Exec on {@code unix://DIR/agent.sock}, without a readiness listener. */
    static RealAgent startOnUnix(Path dir) throws IOException {
        AgentConfig config = AgentConfig.builder()
                .listen(Endpoint.parse("unix://" + dir.resolve("agent.sock")))
                .ready(List.of())
                .grace(Duration.ofSeconds(2))
                .log(Log.discard())
                .build();
        return new RealAgent(Agent.start(config));
    }

    Endpoint execEndpoint() {
        return agent.endpoints().getFirst();
    }

    Endpoint readyEndpoint() {
        return agent.readyEndpoints().getFirst();
    }

    VsockExecClient client() {
        return VsockExecClient.of(execEndpoint());
    }

    /** Waits until process {@code pid} is gone (killed and reaped); false if it outlives the patience. */
    static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + FakeAgent.PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return true;
            }
            Thread.sleep(20); // polling a process table: there is no event to wait for
        }
        return false;
    }

    @Override
    public void close() {
        agent.close();
    }

    static List<String> lines(String text) {
        return text.replace("\r\n", "\n").lines().map(String::strip).toList();
    }
}
