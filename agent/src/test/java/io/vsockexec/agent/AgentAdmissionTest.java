package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Admission and accepting in this JVM, where the agent's threads and counters can be seen. */
class AgentAdmissionTest extends InProcessAgentTest {
    private static void await(BooleanSupplier condition, String failure) {
        Deadline deadline = Deadline.after(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (deadline.hasPassed()) {
                throw new AssertionError(failure);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /** True if the agent has closed {@code c}: end of stream is waiting to be read. */
    private static boolean closedByAgent(Connection c) {
        try {
            // A look, not a wait: a deadline that has passed already would not even look.
            if (Descriptor.awaitReadable(Deadline.after(Duration.ofMillis(1)), c.descriptor()) == 0) {
                return false;
            }
            return c.input().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void idleConnectionsHoldNoSessionSlotAndTheOldestIsShedFirst() throws Exception {
        // A request timeout far beyond the patience: only shedding can close an idle connection here.
        try (Agent agent = Agent.start(config().maxSessions(1).maxPending(3).requestTimeout(Duration.ofMinutes(10))
                .build())) {
            Endpoint e = agent.endpoints().getFirst();
            List<Connection> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(dial(e));
                    int n = i + 1;
                    await(() -> agent.pendingConnections() == n, "idle connection " + n + " is not pending");
                }
                idle.add(dial(e)); // the fourth: the first is shed
                Connection first = idle.getFirst();
                await(() -> closedByAgent(first), "the oldest pending connection was not shed");

                // A real request, with one session slot and three idle connections: served; it
                // shed the second connection, the oldest then, and no other.
                try (Connection c = dial(e)) {
                    new FrameWriter(c.output()).write(Messages.encode(new Message.Exec(ExecRequest.of("echo served"))));
                    Frame f = new FrameReader(c.input(), 1 << 20).read();
                    assertThat(ExecPayloads.decodeExecResponse(f.payload()).stdout().utf8Text())
                            .isEqualTo("served\n");
                }
                await(() -> closedByAgent(idle.get(1)), "the second connection, the oldest when the request came,"
                        + " was not shed");
                assertThat(closedByAgent(idle.get(2))).as("the third connection").isFalse();
                assertThat(closedByAgent(idle.get(3))).as("the fourth connection").isFalse();
            } finally {
                idle.forEach(Connection::close);
            }
        }
        assertThat(log).anySatisfy(l -> assertThat(l).isEqualTo(
                "vsockexec agent: warning: 3 connections are waiting for their request; each new one now closes the oldest"));
    }

    /**
     * An {@link Error} thrown while a connection is served (here an OutOfMemoryError from the
     * handler) closes that connection and nothing else: the platform servers and the virtual
     * acceptors go on.
     */
    @Test
    void anErrorInASessionKillsNoAcceptingThread() throws Exception {
        RequestHandler failing = new FailingHandler();
        try (Agent agent = Agent.start(config().build(), Launcher.forThisProcess(),
                RequestHandlers.of(failing, ExecHandler.PIPED))) {
            Endpoint e = agent.endpoints().getFirst();
            List<Connection> busy = new ArrayList<>();
            try {
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 6; i++) {
                        try (Connection c = dial(e)) {
                            new FrameWriter(c.output()).write(MessageType.EXEC, new byte[] {'{', '}'}, 0, 2);
                            assertThat(new FrameReader(c.input(), 1 << 20).read()).as("no answer, closed").isNull();
                        }
                    }
                    // Both platform servers busy: the next connections are served by virtual threads.
                    for (int i = 0; i < 2; i++) {
                        Connection c = dial(e);
                        busy.add(c);
                        new FrameWriter(c.output()).write(Messages.encode(new Message.ExecPipe(ExecRequest.of("cat"))));
                    }
                }
                assertThat(platformServers(e)).as("the platform servers of " + e).isEqualTo(PlatformServers.THREADS);
                try (Connection c = dial(e)) {
                    new FrameWriter(c.output()).write(Messages.encode(new Message.ExecPipe(ExecRequest.of("echo still"))));
                    assertThat(new String(new FrameReader(c.input(), 1 << 20).read().payload(), StandardCharsets.UTF_8))
                            .isEqualTo("still\n");
                }
            } finally {
                busy.forEach(Connection::close);
            }
        }
        assertThat(log).filteredOn(l -> l.contains("OutOfMemoryError")).hasSize(12);
    }

    private static long platformServers(Endpoint e) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vsockexec serve " + e + " #") && t.isAlive())
                .count();
    }

    /** Throws an {@link OutOfMemoryError} for every request, on the connection's thread. */
    private static final class FailingHandler implements RequestHandler {
        @Override
        public Kind kind() {
            return new Kind(MessageType.EXEC, "Exec", "exec");
        }

        @Override
        public void refuse(FrameWriter writer, String reason) {
        }

        @Override
        public Exchange open(RequestPayload payload, HostConnection host, SessionContext context) {
            throw new OutOfMemoryError("made up by the test");
        }
    }
}
