package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.Messages;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An argument vector means the same to either agent: the vsockexec agent runs the request's
 * {@code argv}, and an agent that reads the request as the Go reference's does (only
 * {@code command}, run by {@code sh -c}) runs the quoted line, which the shell splits back into
 * exactly the vector. A shell command line, and a request as older vsockexec hosts send it
 * ({@code command} the program, {@code args} the rest), keep their meaning.
 */
class ArgumentVectorTest {
    /** Words a shell would otherwise split, expand, glob or read as syntax. */
    private static final List<String> TRICKY = List.of("printf", "[%s]", "a b", "$HOME", "*", "it's", "", "\\n",
            "\"q\"", "x;y", "tab\there", "new\nline", "~", "A=1");
    private static final String EXPECTED = "[a b][$HOME][*][it's][][\\n][\"q\"][x;y][tab\there][new\nline][~][A=1]";

    @TempDir
    Path dir;

    @Test
    void theVsockexecAgentRunsTheVectorWithoutAShell() throws Exception {
        try (RealAgent agent = RealAgent.start(dir)) {
            ExecResult r = agent.client().exec(Command.argv(TRICKY));

            assertThat(r.stdoutText()).isEqualTo(EXPECTED);
        }
    }

    @Test
    void anAgentThatReadsTheRequestAsGoDoesRunsTheSameVectorThroughItsShell() throws Exception {
        try (FakeAgent go = FakeAgent.listen(socket(), ArgumentVectorTest::runAsTheGoAgentDoes)) {
            ExecResult r = go.client().exec(Command.argv(TRICKY));

            assertThat(r.stdoutText()).isEqualTo(EXPECTED);
        }
    }

    @Test
    void aFirstWordTheShellWouldReadAsSyntaxStillNamesTheProgram() throws Exception {
        // "if" is a reserved word and "A=1 env" an assignment in a command's first position: a
        // Go agent would run neither as a program unless the line quotes them.
        try (FakeAgent go = FakeAgent.listen(socket(), ArgumentVectorTest::runAsTheGoAgentDoes)) {
            ExecResult r = go.client().exec(Command.argv("if", "x"));

            assertThat(r.stderrText()).contains("if");
            assertThat(r.exitCode()).isEqualTo(127);
        }
    }

    @Test
    void aShellCommandLineIsRunByTheShellOnBothAgents() throws Exception {
        Command pipeline = Command.shell("echo a b | tr ' ' '-'");
        try (RealAgent agent = RealAgent.start(dir);
                FakeAgent go = FakeAgent.listen(socket(), ArgumentVectorTest::runAsTheGoAgentDoes)) {
            assertThat(agent.client().exec(pipeline).stdoutText()).isEqualTo("a-b\n");
            assertThat(go.client().exec(pipeline).stdoutText()).isEqualTo("a-b\n");
        }
    }

    @Test
    void aRequestFromAnOlderVsockexecHostStillRunsItsProgramWithArgs() throws Exception {
        try (RealAgent agent = RealAgent.start(dir)) {
            ExecRequest older = new ExecRequest("printf", List.of("[%s]", "a b", "$HOME"), null, null, null, null);

            ExecResponse r = RawExec.exec(agent.execEndpoint(), older);

            assertThat(r.stdout().utf8Text()).isEqualTo("[a b][$HOME]");
        }
    }

    private Endpoint socket() {
        return Endpoint.parse("unix://" + dir.resolve("go-agent.sock"));
    }

    /**
     * What the Go agent does with an Exec request: it decodes the JSON into its struct, which has
     * no {@code argv} and whose {@code args} it never uses, and runs {@code sh -c command}.
     */
    private static void runAsTheGoAgentDoes(FakeAgent.Peer peer) throws Exception {
        String command = ((Message.Exec) peer.requestMessage()).request().command();
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(FakeAgent.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("sh -c did not exit");
        }
        peer.send(new Message.ExecResult(new ExecResponse(p.exitValue(), Bytes.of(out), Bytes.of(err), null)));
    }

    /** An Exec request sent as it is, for requests the SDK no longer makes. */
    private static final class RawExec {
        static ExecResponse exec(Endpoint endpoint, ExecRequest request) throws IOException {
            try (Connection c = Transports.dial(endpoint, Deadline.after(FakeAgent.PATIENCE))) {
                c.deadline(Deadline.after(FakeAgent.PATIENCE));
                new FrameWriter(c.output()).write(Messages.encode(new Message.Exec(request)));
                Frame reply = new FrameReader(c.input(), 1 << 20).read();
                return ((Message.ExecResult) Messages.decode(reply)).response();
            }
        }
    }
}
