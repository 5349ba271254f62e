package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What needs the agent's process beside the suite, inside user-mode Linux: its pid
 * ({@value AgentUnderTest#AGENT_PID_PROPERTY}) and its log ({@value AgentUnderTest#AGENT_LOG_PROPERTY}).
 * Run last: it takes the agent's descriptors away for a while.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
public class VsockAgentChecks {
    private final long pid = Long.parseLong(AgentUnderTest.required(AgentUnderTest.AGENT_PID_PROPERTY, "1234"));
    private final Path log = Path.of(AgentUnderTest.required(AgentUnderTest.AGENT_LOG_PROPERTY, "/tmp/agent.log"));
    private final Endpoint exec = Endpoint.parse(AgentUnderTest.required(AgentUnderTest.EXEC_PROPERTY, "vsock://1:5000"));

    @Test
    void sessionsRunInCgroupsOfTheirOwn() throws IOException {
        assertThat(Files.readString(log)).contains("cgroups: each session runs in a cgroup of its own");
    }

    @Test
    void theCgroup2MountTheAgentFoundIsRemountedWithFavordynmods() throws IOException {
        // The guest's init mounted cgroup2 without it; the agent remounted it on its way to cgroups.
        assertThat(Files.readString(log)).contains("cgroups: remounted /sys/fs/cgroup with favordynmods");
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8))
                .anySatisfy(line -> assertThat(line).contains(" - cgroup2 ").contains("favordynmods"));
    }

    /** More idle connections than the agent's descriptor limit leaves room for, by far. */
    private static final int IDLE_CONNECTIONS = 64;

    @Test
    void theVsockListenerBacksOffLogsOnceAndRecoversFromDescriptorExhaustion() throws Exception {
        assertThat(FrameClient.exec(exec, ExecRequest.of("true")).exitCode()).isZero();
        long limit = Descriptors.softLimit(pid);
        Descriptors.setSoftLimit(pid, Descriptors.settled(pid) + 4);
        String failure = "accept on vsock://any:" + ((io.vsockexec.transport.VsockEndpoint) exec).port() + " failed: EMFILE";
        List<Connection> idle = new ArrayList<>();
        try {
            // Dialled one at a time until the agent runs out: descriptors it closes meanwhile (the
            // cgroups of earlier sessions, taken back lazily) leave room for a few more than four.
            for (int i = 0; i < IDLE_CONNECTIONS && logLines(failure) == 0; i++) {
                idle.add(Transports.dial(exec, Deadline.after(Processes.PATIENCE)));
                Thread.sleep(50);
            }
            Processes.awaitTrue(() -> logLines(failure) > 0, "the agent never logged \"" + failure + "\"");
            Thread.sleep(3000); // the back-off retries meanwhile: 10 ms, 20, 40, ... 1 s apart
        } finally {
            Descriptors.setSoftLimit(pid, limit);
            idle.forEach(Connection::close);
        }

        assertThat(FrameClient.exec(exec, ExecRequest.of("echo recovered")).stdout().toByteArray())
                .isEqualTo("recovered\n".getBytes(StandardCharsets.UTF_8));
        assertThat(logLines(failure)).as("warnings in one episode").isEqualTo(1);
    }

    private long logLines(String text) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
