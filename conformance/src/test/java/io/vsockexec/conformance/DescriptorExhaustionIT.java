package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.transport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent process that runs out of descriptors (its limit lowered with {@code prlimit} while it
 * holds idle connections) and then gets them back: every listener kind (Unix, TCP, the emulated
 * hybrid VM socket) says so once, keeps its socket file, and serves again.
 *
 * <p>An integration test, so that the agent runs from the packaged jars, as users run it: a
 * process that has run out of descriptors cannot open a file, and so cannot load a class from a
 * directory, only from a jar it holds open already.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DescriptorExhaustionIT {
    @TempDir
    Path dir;

    @AutoClose
    private final Peers peers = new Peers();

    @Test
    void everyListenerKindBacksOffLogsOnceKeepsItsSocketFileAndRecovers() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "descriptor-exhaustion", "--request-timeout", "10m")) {
            // Every listener serves once first, as in the life of any agent before trouble comes.
            for (Endpoint e : List.of(agent.unix, agent.tcp, agent.hybrid)) {
                assertThat(FrameClient.exec(e, ExecRequest.of("true")).exitCode()).isZero();
            }
            long limit = Descriptors.softLimit(agent.pid());
            int open = agent.settledDescriptors();
            Descriptors.setSoftLimit(agent.pid(), open + 4);
            try {
                // Idle connections take the last four descriptors; then each listener fails in turn.
                for (int i = 0; i < 6; i++) {
                    peers.idle(agent.unix);
                }
                agent.awaitLog("accept on " + agent.unix + " failed: EMFILE");
                peers.idle(agent.tcp);
                agent.awaitLog("accept on " + agent.tcp + " failed: EMFILE");
                peers.vmSocket(agent.vmSocket);
                agent.awaitLog("accept on hybrid://" + agent.vmSocket + " failed: EMFILE");
                // Time for the back-off to retry a few times: 10 ms, 20, 40, ... 1 s between attempts.
                Thread.sleep(3000);
            } finally {
                Descriptors.setSoftLimit(agent.pid(), limit);
            }

            for (Endpoint e : List.of(agent.unix, agent.tcp, agent.hybrid)) {
                assertThat(FrameClient.exec(e, ExecRequest.of("echo recovered")).stdout().toByteArray())
                        .as("served again on " + e).isEqualTo("recovered\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(agent.unixSocket).exists();
            assertThat(agent.vmSocket).exists();
            for (String listener : List.of(agent.unix.toString(), agent.tcp.toString(), "hybrid://" + agent.vmSocket)) {
                assertThat(agent.logLines("accept on " + listener + " failed"))
                        .as("warnings about " + listener + " in one episode").isEqualTo(1);
            }
        }
    }
}
