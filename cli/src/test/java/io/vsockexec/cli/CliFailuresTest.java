package io.vsockexec.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local failures: one line on stderr, and the documented status. No agent needed. */
class CliFailuresTest {
    @TempDir
    Path dir;

    @Test
    void unreachableEndpointIsOneLineAndStatus255() throws Exception {
        String missing = "unix://" + dir.resolve("nobody-home.sock");
        CliProcess.Result r = CliProcess.run("exec", "--connect", missing, "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
        assertThat(r.errLines()).containsExactly(
                "vsockexec: cannot connect to " + missing + ": ENOENT (No such file or directory)");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void malformedEndpointIsOneLineAndStatus255() throws Exception {
        CliProcess.Result r = CliProcess.run("exec", "--connect", "vsock://3", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
        assertThat(r.errLines()).hasSize(1).first().asString()
                .startsWith("vsockexec: invalid endpoint \"vsock://3\"");
    }

    @Test
    void refusedHybridPortIsOneLineAndStatus255() throws Exception {
        Path vm = dir.resolve("vm.sock");
        try (Agent agent = Agent.start(AgentConfig.builder().listen(Endpoint.parse("hybrid://" + vm + ":5000"))
                .ready(List.of()).log(Log.discard()).build())) {
            CliProcess.Result r = CliProcess.run("exec", "--connect", "hybrid://" + vm + ":5001", "--", "true");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
            assertThat(r.errLines()).hasSize(1).first().asString()
                    .startsWith("vsockexec: cannot connect to hybrid://" + vm + ":5001: ")
                    .contains("5001");
        }
    }

    @Test
    void goAgentsMinusOneForASignalIsReportedAndStatus255() throws Exception {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("go-agent.sock"));
        try (Listener goAgent = Transports.listen(endpoint)) {
            Thread.ofVirtual().start(() -> {
                try (Connection c = goAgent.accept(Deadline.after(CliProcess.PATIENCE))) {
                    new FrameReader(c.input(), FrameDescriptor.DEFAULT_MAX_PAYLOAD).read();
                    // What the Go reference agent answers for a command killed by a signal.
                    new FrameWriter(c.output()).write(new Frame(MessageType.EXEC_RESULT,
                            "{\"exit_code\":-1,\"stdout\":null,\"stderr\":null,\"error\":\"\"}".getBytes(UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            CliProcess.Result r = CliProcess.run("exec", "--connect", endpoint.toString(), "--", "kill -9 $$");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
            assertThat(r.errLines()).containsExactly("vsockexec: the remote command ended with exit code -1"
                    + " (how the Go reference agent reports a command killed by a signal)");
        }
    }

    @Test
    void noConnectAndNoEnvironmentIsAUsageError() throws Exception {
        CliProcess.Result r = CliProcess.run("exec", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1).first().asString()
                .startsWith("vsockexec: no agent to connect to: give --connect ENDPOINT or set VSOCKEXEC_CONNECT");
    }

    @Test
    void environmentVariableNamesTheAgentWhenConnectIsMissing() throws Exception {
        String missing = "unix://" + dir.resolve("from-env.sock");
        CliProcess.Result r = CliProcess.run(List.of("exec", "true"), Map.of(AgentEndpoint.ENV, missing), null);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
        assertThat(r.stderr()).contains("cannot connect to " + missing);
    }

    @Test
    void readySucceedsOnceTheEndpointAcceptsAndTimesOutOtherwise() throws Exception {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("ready.sock"));
        CliProcess.Result notYet = CliProcess.run("ready", "--connect", endpoint.toString(), "--timeout", "200ms");
        assertThat(notYet.exitCode()).isEqualTo(ReadyCommand.NOT_READY);
        assertThat(notYet.errLines()).hasSize(1).first().asString()
                .startsWith("vsockexec: " + endpoint + " not ready after 200ms");

        try (Listener listener = Transports.listen(endpoint)) {
            CliProcess.Result ready = CliProcess.run("ready", "--connect", endpoint.toString(), "--timeout", "20s");
            assertThat(ready.exitCode()).isZero();
            assertThat(ready.stderr()).isEmpty();
        }
    }

    @Test
    void readyCountsOneAttemptInTheSingular() throws Exception {
        String missing = "unix://" + dir.resolve("never.sock");
        // The first attempt alone takes longer than the timeout: there is no second.
        CliProcess.Result r = CliProcess.run("ready", "--connect", missing, "--timeout", "1ms");
        assertThat(r.exitCode()).isEqualTo(ReadyCommand.NOT_READY);
        assertThat(r.errLines()).hasSize(1).first().asString().contains(" (1 attempt): ");
    }

    @Test
    void readyOnTheLocalAgentIsAUsageErrorRatherThanAnEmptySuccess() throws Exception {
        CliProcess.Result r = CliProcess.run("ready", "--connect", "local");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).containsExactly("vsockexec: ready --connect local has nothing to wait for: an agent"
                + " in this process is ready when it starts; name a readiness endpoint", "See 'vsockexec ready --help'.");
    }

    @Test
    void aZeroTimeoutIsRefusedWithoutNamingJavaApi() throws Exception {
        CliProcess.Result r = CliProcess.run("exec", "--connect", "local", "--timeout", "0s", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).containsExactly("vsockexec: --timeout: '0s' is no time at all: give more than zero,"
                + " e.g. 30s", "See 'vsockexec exec --help'.");
    }

    @Test
    void anUnknownCommandListsTheCommands() throws Exception {
        CliProcess.Result r = CliProcess.run("bogus");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).containsExactly("vsockexec: unknown command \"bogus\"",
                "Commands: exec, cp, port-forward, agent, ready, cid, vm, bench, completion, help",
                "See 'vsockexec --help'.");
    }

    @Test
    void cidPrintsTheNumberAloneOrFailsWithOneLine() throws Exception {
        CliProcess.Result r = CliProcess.run("cid");
        if (r.exitCode() == 0) {
            assertThat(r.out()).matches("[0-9]+\\n");
        } else {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.LOCAL_FAILURE);
            assertThat(r.errLines()).hasSize(1).first().asString().startsWith("vsockexec: cannot read the local CID: ");
        }
    }
}
