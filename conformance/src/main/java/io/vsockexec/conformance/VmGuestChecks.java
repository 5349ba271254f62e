package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.PipeExecution;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Message;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What only a VM shows, run from the host against a guest booted by {@code vsockexec vm}
 * (system properties {@value AgentUnderTest#EXEC_PROPERTY}, {@value AgentUnderTest#VM_DIR_PROPERTY},
 * {@value AgentUnderTest#VM_CID_PROPERTY}; the host agent's files go to {@value AgentUnderTest#VM_SCRATCH_PROPERTY}): the guest's own kernel and CID, connections the guest opens
 * to the host (Firecracker's {@code vm.sock_PORT}), hundreds of streams at once, and a host client
 * that goes away in the middle of a transfer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public class VmGuestChecks {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The host port the guest dials in these checks; the host listens on {@code vm.sock_6000}. */
    private static final int HOST_PORT = 6000;
    private static final int MIB = 1 << 20;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private AgentProcess hostAgent;

    @AfterAll
    void stop() {
        threads.shutdownNow();
        if (hostAgent != null) {
            hostAgent.close();
        }
    }

    private static Endpoint exec() {
        return Endpoint.parse(AgentUnderTest.required(AgentUnderTest.EXEC_PROPERTY, "hybrid:///DIR/vm.sock:5000"));
    }

    private static Path dir() {
        return Path.of(AgentUnderTest.required(AgentUnderTest.VM_DIR_PROPERTY, "/DIR"));
    }

    private static VsockExecClient client() {
        return VsockExecClient.of(exec());
    }

    private static ExecResult inGuest(String script) throws IOException {
        return client().exec(Command.shell(script).withTimeout(PATIENCE));
    }

    @Test
    void theGuestsAgentMountedCgroup2WithFavordynmods() throws IOException {
        ExecResult r = inGuest("grep ' - cgroup2 ' /proc/self/mountinfo");
        assertThat(r.exitCode()).as(r.stderrText()).isZero();
        assertThat(r.stdoutText()).contains("favordynmods");
    }

    @Test
    void theGuestHasTheCidItWasGiven() throws IOException {
        ExecResult r = inGuest("vsockexec cid");
        assertThat(r.exitCode()).as(r.stderrText()).isZero();
        assertThat(r.stdoutText().strip()).isEqualTo(AgentUnderTest.required(AgentUnderTest.VM_CID_PROPERTY, "7"));
    }

    @Test
    void commandsRunOnTheGuestsOwnKernel() throws Exception {
        Process version = new ProcessBuilder("/usr/bin/linux.uml", "--version").redirectErrorStream(true).start();
        String kernel = new String(version.getInputStream().readAllBytes(), UTF_8).strip();
        version.waitFor();
        ExecResult r = inGuest("uname -r");
        assertThat(r.stdoutText().strip()).isEqualTo(kernel).isNotEqualTo(System.getProperty("os.version"));
    }

    @Test
    void aGuestConnectionToTheHostReachesTheListenerOnVmSockPort() throws IOException {
        startHostAgent();
        ExecResult r = inGuest("vsockexec exec --connect vsock://2:" + HOST_PORT + " -- cat /proc/sys/kernel/osrelease");
        assertThat(r.exitCode()).as(r.stderrText()).isZero();
        assertThat(r.stdoutText().strip()).as("the command ran on the host").isEqualTo(System.getProperty("os.version"));
    }

    @Test
    void guestToHostStreamsCarry16MiBEachWayIntact() throws IOException {
        startHostAgent();
        String zeros = sha256OfZeros(16 * MIB);
        ExecResult up = inGuest("head -c " + 16 * MIB + " /dev/zero | vsockexec exec -i --connect vsock://2:"
                + HOST_PORT + " -- sha256sum");
        assertThat(up.stdoutText()).as(up.stderrText()).startsWith(zeros);
        ExecResult down = inGuest("vsockexec exec --connect vsock://2:" + HOST_PORT + " -- head -c " + 16 * MIB
                + " /dev/zero | sha256sum");
        assertThat(down.stdoutText()).as(down.stderrText()).startsWith(zeros);
    }

    @Test
    void aGuestConnectionToAPortNobodyListensOnIsRefusedAtOnce() throws IOException {
        ExecResult r = inGuest("vsockexec exec --connect vsock://2:" + (HOST_PORT + 1) + " -- true");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderrText()).containsAnyOf("ECONNRESET", "ECONNREFUSED");
    }

    @Test
    void twoHundredStreamsAtOnceEachGetTheirOwnAnswer() throws Exception {
        // Every connection is open (a stream through the device) before any sends its request.
        List<FrameClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                open.add(FrameClient.connect(exec()));
            }
            List<Future<ExecResponse>> answers = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                FrameClient c = open.get(i);
                String word = "stream-" + i;
                answers.add(threads.submit(() -> {
                    c.send(new Message.Exec(ExecRequest.of("echo " + word)));
                    return c.transcript().result;
                }));
            }
            for (int i = 0; i < answers.size(); i++) {
                ExecResponse r = answers.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(r.stdout().utf8Text()).isEqualTo("stream-" + i + "\n");
            }
        } finally {
            open.forEach(FrameClient::close);
        }
    }

    @Test
    void aHostClientThatDisconnectsMidTransferEndsItsCommandAndTheGuestServesOn() throws Exception {
        AtomicLong received = new AtomicLong();
        ConformanceSuite.LineCollector firstLine = new ConformanceSuite.LineCollector();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (received.get() < 64) {
                    firstLine.write(b, off, len);
                }
                received.addAndGet(len);
            }
        };
        long pid;
        try (PipeExecution p = client().startPipe(Command.shell("echo $$; exec cat /dev/zero").withTimeout(PATIENCE),
                InputStream.nullInputStream(), counting, OutputStream.nullOutputStream())) {
            pid = Long.parseLong(firstLine.awaitLine(io.vsockexec.base.Deadline.after(PATIENCE)));
            Processes.awaitTrue(() -> received.get() > 16L * MIB, "the transfer never got going");
        }
        AgentMachine guest = AgentMachine.through(exec());
        Processes.awaitGone(guest, pid, "the command of a client that went away mid-transfer survived");
        assertThat(inGuest("echo still-serving").stdoutText()).isEqualTo("still-serving\n");
    }

    /** An agent on the host, where the guest's connections to host port {@value #HOST_PORT} arrive. */
    private synchronized void startHostAgent() throws IOException {
        if (hostAgent != null) {
            return;
        }
        Path d = dir();
        Path scratch = Path.of(AgentUnderTest.required(AgentUnderTest.VM_SCRATCH_PROPERTY, "/DIR"));
        java.nio.file.Files.createDirectories(scratch);
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.vsockexec.cli.Main", "agent");
        hostAgent = AgentProcess.start(command,
                List.of(Endpoint.parse("unix://" + d.resolve("vm.sock_" + HOST_PORT))),
                Endpoint.parse("unix://" + scratch.resolve("host-agent-ready.sock")), List.of(),
                scratch.resolve("host-agent.log"), env -> { });
        hostAgent.awaitReady();
    }

    private static String sha256OfZeros(int size) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(new byte[size]);
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
