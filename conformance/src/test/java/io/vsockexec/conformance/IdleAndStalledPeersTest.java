package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that connect and then send nothing, or half a hybrid handshake, against a real agent
 * process: they hold no session slot, they have a bound of their own (1024 each), the oldest goes
 * first when it is full, and real requests are served meanwhile, on every listener kind.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdleAndStalledPeersTest {
    /** Longer than any test here: only shedding may close an idle peer while a test looks. */
    private static final String[] PATIENT = {"--request-timeout", "10m", "--handshake-timeout", "10m"};

    @TempDir
    Path dir;

    @AutoClose
    private final Peers peers = new Peers();

    @Test
    void aRequestIsServedWhileAThousandIdleConnectionsAndAHundredStalledHandshakesAreOpen() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "idle-and-stalled", PATIENT)) {
            int before = agent.settledDescriptors();
            long rssBefore = agent.statusKib("VmRSS");
            for (int i = 0; i < 1000; i++) {
                peers.idle(agent.unix);
            }
            for (int i = 0; i < 100; i++) {
                stalledHandshake(agent.vmSocket);
            }
            Processes.awaitTrue(() -> agent.descriptors() >= before + 1100,
                    "the agent did not accept the 1100 peers: " + before + " descriptors before");

            for (Endpoint e : List.of(agent.unix, agent.tcp, agent.hybrid)) {
                assertThat(FrameClient.exec(e, ExecRequest.of("echo served")).stdout().toByteArray())
                        .as("served on " + e).isEqualTo("served\n".getBytes(StandardCharsets.UTF_8));
            }

            assertThat(peers.all()).as("no idle peer or stalled handshake was closed").noneMatch(IdleAndStalledPeersTest::closed);
            System.out.printf("idle-and-stalled: 1000 idle connections and 100 stalled handshakes held by the agent"
                    + " (%d more descriptors, RSS %d -> %d KiB); served on unix, tcp and hybrid%n",
                    agent.descriptors() - before, rssBefore, agent.statusKib("VmRSS"));
        }
    }

    @Test
    void theOldestOf1024PendingConnectionsIsClosedFirstWhenAnotherArrives() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "oldest-pending-shed", with(PATIENT, "-v"))) {
            // The first two wait until the agent counts them, so that they are the oldest for sure.
            Connection first = peers.idle(agent.unix);
            agent.awaitLog("1 connections waiting for their request");
            Connection second = peers.idle(agent.unix);
            agent.awaitLog("2 connections waiting for their request");
            for (int i = 2; i < 1024; i++) {
                peers.idle(agent.unix);
            }
            agent.awaitLog("1024 connections waiting for their request");

            peers.idle(agent.unix); // the 1025th: the first goes
            Processes.awaitTrue(() -> closed(first), "the oldest pending connection was not closed");
            peers.idle(agent.unix); // the 1026th: the second goes
            Processes.awaitTrue(() -> closed(second), "the second oldest pending connection was not closed");

            assertThat(peers.all().subList(2, peers.all().size())).as("every newer connection").noneMatch(IdleAndStalledPeersTest::closed);
            assertThat(agent.logLines("1024 connections are waiting for their request; each new one now closes the"
                    + " oldest")).isEqualTo(1);
            assertThat(FrameClient.exec(agent.unix, ExecRequest.of("echo served")).stdout().toByteArray())
                    .isEqualTo("served\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theOldestOf1024StalledHandshakesIsClosedFirstWhenAnotherArrives() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "oldest-handshake-shed", PATIENT)) {
            int before = agent.settledDescriptors();
            NativeSocket first = stalledHandshake(agent.vmSocket);
            Processes.awaitTrue(() -> agent.descriptors() >= before + 1, "the first handshake was not accepted");
            for (int i = 1; i < 1024; i++) {
                stalledHandshake(agent.vmSocket);
            }
            Processes.awaitTrue(() -> agent.descriptors() >= before + 1024,
                    "the agent did not accept 1024 handshakes: " + agent.descriptors() + " descriptors");

            // A real client, the 1025th: it completes its handshake, and the oldest stalled one goes.
            assertThat(FrameClient.exec(agent.hybrid, ExecRequest.of("echo served")).stdout().toByteArray())
                    .isEqualTo("served\n".getBytes(StandardCharsets.UTF_8));
            Processes.awaitTrue(() -> closed(first), "the oldest stalled handshake was not closed");
        }
    }

    private static String[] with(String[] options, String... more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** A client of the emulated VM socket that sends {@code CONNECT 5000} without its newline. */
    private NativeSocket stalledHandshake(Path vmSocket) throws IOException {
        NativeSocket s = peers.vmSocket(vmSocket);
        byte[] partial = "CONNECT 5000".getBytes(StandardCharsets.US_ASCII);
        s.write(partial, 0, partial.length, Deadline.after(Processes.PATIENCE));
        return s;
    }

    /** True once the agent has closed the peer's connection: its end of stream can be read. */
    private static boolean closed(Closeable peer) {
        Descriptor d = peer instanceof Connection c ? c.descriptor() : ((NativeSocket) peer).descriptor();
        try {
            // A look, not a wait; a deadline that has passed already would not even look.
            if (Descriptor.awaitReadable(Deadline.after(Duration.ofMillis(1)), d) == 0) {
                return false;
            }
            byte[] one = new byte[1];
            return d.readAvailable(one, 0, 1) < 0;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }
}
