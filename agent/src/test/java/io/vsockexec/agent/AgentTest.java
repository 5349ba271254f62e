package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.protocol.BinaryPayloads;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.TcpEndpoint;
import io.vsockexec.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The agent in this JVM, as the CLI's {@code --connect local} runs it. */
class AgentTest extends InProcessAgentTest {
    @Test
    void servesAnExecInProcessAndLogsTheSession() throws Exception {
        try (Agent agent = Agent.start(config().build()); Connection c = dial(agent.endpoints().getFirst())) {
            new FrameWriter(c.output()).write(Messages.encode(new Message.Exec(ExecRequest.of("echo hi; exit 2"))));
            Frame f = new FrameReader(c.input(), 1 << 20).read();

            assertThat(ExecPayloads.decodeExecResponse(f.payload()))
                    .isEqualTo(new ExecResponse(2, Bytes.utf8("hi\n"), null, null));
        }
        assertThat(log).anySatisfy(l -> assertThat(l)
                .startsWith("vsockexec agent: session 1 exec /bin/sh -c user=- exit=2 "));
    }

    @Test
    void endpointsReportWhatWasBound() throws Exception {
        try (Agent agent = Agent.start(config().listen(Endpoint.parse("tcp://127.0.0.1:0"))
                .ready(Endpoint.parse("unix://" + dir.resolve("ready.sock"))).build())) {
            assertThat(agent.endpoints()).singleElement()
                    .isInstanceOfSatisfying(TcpEndpoint.class, t -> assertThat(t.port()).isPositive());
            assertThat(agent.readyEndpoints()).containsExactly(Endpoint.parse("unix://" + dir.resolve("ready.sock")));
        }
    }

    @Test
    void aBindFailureLeavesNothingBound() throws Exception {
        Endpoint first = Endpoint.parse("unix://" + dir.resolve("first.sock"));
        Endpoint taken = Endpoint.parse("unix://" + dir.resolve("taken.sock"));
        try (Listener holder = Transports.listen(taken)) {
            assertThat(holder.endpoint()).isEqualTo(taken);
            assertThatThrownBy(() -> Agent.start(config().listen(first, taken).build()))
                    .isInstanceOf(ErrnoException.class).hasMessageContaining(taken.toString());
        }
        try (Listener again = Transports.listen(first)) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    @Test
    void shutdownCancelsRunningSessionsAndTheirHostsGetTheExit() throws Exception {
        Agent agent = Agent.start(config().build());
        Connection c = dial(agent.endpoints().getFirst());
        try {
            FrameWriter w = new FrameWriter(c.output());
            FrameReader r = new FrameReader(c.input(), 1 << 20);
            w.write(Messages.encode(new Message.ExecPipe(ExecRequest.of("echo started; exec sleep 1000"))));
            assertThat(r.read().type()).isEqualTo(MessageType.STDOUT);
            assertThat(agent.activeSessions()).isEqualTo(1);

            Thread stopper = Thread.ofVirtual().start(agent::shutdown);
            Frame f = r.read();

            assertThat(f.type()).isEqualTo(MessageType.EXIT);
            assertThat(BinaryPayloads.decodeExitCode(f.payload())).isEqualTo(143);
            c.close(); // the agent lingers until its host closes
            stopper.join();
        } finally {
            c.close();
        }
        assertThat(agent.awaitTermination(PATIENCE)).isTrue();
        assertThat(agent.activeSessions()).isZero();
        assertThatThrownBy(() -> dial(agent.endpoints().getFirst())).isInstanceOf(IOException.class);
    }

    @Test
    void oversizedRequestIsAnsweredInItsModesWayWithoutReadingItsPayload() throws Exception {
        // 32 MiB claimed, 4 MiB sent: an agent that read the payload would wait forever. The agent
        // answers at once, then lingers (discarding) until the host closes.
        try (Agent agent = Agent.start(config().listen(Endpoint.parse("tcp://127.0.0.1:0")).build());
                Connection c = dial(agent.endpoints().getFirst())) {
            Thread junk = Thread.ofVirtual().start(() -> {
                try {
                    c.output().write(new byte[] {12, 2, 0, 0, 0}); // 32 MiB claimed
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 64; i++) {
                        c.output().write(chunk);
                    }
                } catch (IOException e) {
                    // the agent may close once it has lingered; the answer is what counts
                }
            });
            FrameReader r = new FrameReader(c.input(), 1 << 20);

            Frame stderr = r.read();
            Frame exit = r.read();
            junk.join();

            assertThat(stderr.type()).isEqualTo(MessageType.STDERR);
            assertThat(new String(stderr.payload(), StandardCharsets.UTF_8))
                    .isEqualTo("vsockexec: request of 33554432 bytes exceeds the frame limit of 16777216 bytes\n");
            assertThat(exit.type()).isEqualTo(MessageType.EXIT);
            assertThat(BinaryPayloads.decodeExitCode(exit.payload())).isEqualTo(1);
        }
    }

    /**
     * A request type that is not an exec mode, as file transfers and port forwards will be: a
     * handler registered for its message type is all it takes. Here {@code Ready} is such a
     * request, answered with a {@code Stdout} frame; a second one while the first is served is
     * refused by admission, in the handler's own way.
     */
    @Test
    void aRequestTypeIsServedByTheHandlerRegisteredForItAndRefusedInItsWay() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RequestHandler echo = new EchoHandler(release);
        try (Agent agent = Agent.start(config().maxSessions(1).build(), Launcher.forThisProcess(),
                RequestHandlers.of(echo));
                Connection first = dial(agent.endpoints().getFirst())) {
            new FrameWriter(first.output()).write(MessageType.READY, new byte[] {'h', 'i'}, 0, 2);
            Frame served = new FrameReader(first.input(), 1 << 20).read();
            Frame refused;
            try (Connection second = dial(agent.endpoints().getFirst())) { // while the first holds the one session
                new FrameWriter(second.output()).write(MessageType.READY, new byte[0], 0, 0);
                refused = new FrameReader(second.input(), 1 << 20).read();
            }
            release.countDown();

            assertThat(served.type()).isEqualTo(MessageType.STDOUT);
            assertThat(new String(served.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
            assertThat(refused.type()).isEqualTo(MessageType.STDERR);
            assertThat(new String(refused.payload(), StandardCharsets.UTF_8))
                    .isEqualTo("refused: agent busy: 1 sessions running");
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("vsockexec agent: session 1 echo echoed 2 bytes exit=0 "));
    }

    /** Answers {@code Ready} with its payload as {@code Stdout}, then waits for the test to release it. */
    private record EchoHandler(CountDownLatch release) implements RequestHandler {
        @Override
        public Kind kind() {
            return new Kind(MessageType.READY, "Ready", "echo");
        }

        @Override
        public void refuse(FrameWriter writer, String reason) throws IOException {
            byte[] text = ("refused: " + reason).getBytes(StandardCharsets.UTF_8);
            writer.write(MessageType.STDERR, text, 0, text.length);
        }

        @Override
        public Exchange open(RequestPayload request, HostConnection host, SessionContext context) {
            byte[] payload = request.bytes();
            return new Exchange() {
                @Override
                public Outcome run() throws IOException, InterruptedException {
                    host.writer().write(MessageType.STDOUT, payload, 0, payload.length);
                    release.await();
                    return Outcome.exited(0, "");
                }

                @Override
                public void cancel(String reason) {
                    release.countDown();
                }

                @Override
                public Thread reader() {
                    return null;
                }

                @Override
                public String summary() {
                    return "echoed " + payload.length + " bytes";
                }
            };
        }
    }

    @Test
    void drainsStdoutAndStderrCompletelyBeforeTheExit() throws Exception {
        try (Agent agent = Agent.start(config().build()); Connection c = dial(agent.endpoints().getFirst())) {
            new FrameWriter(c.output()).write(Messages.encode(new Message.ExecPipe(ExecRequest.of(
                    "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2"))));
            FrameReader r = new FrameReader(c.input(), 1 << 20);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Frame f;
            while ((f = r.read()).type() != MessageType.EXIT) {
                (f.type() == MessageType.STDOUT ? out : err).write(f.payload());
                assertThat(f.payload().length).isLessThanOrEqualTo(OutputRelay.BUFFER);
            }
            assertThat(out.size()).isEqualTo(300000);
            assertThat(err.size()).isEqualTo(200000);
            assertThat(r.read()).as("nothing after the final frame").isNull();
        }
    }
}
