package io.vsockexec.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code exec} over a Unix socket opens the JDK's Unix channel without loading the security
 * providers, and the generator the channel keeps still draws from the system's algorithm.
 */
class UnixChannelStartupTest {
    @TempDir
    Path dir;

    @Test
    void aUnixExecLoadsNoSecurityProvider() throws Exception {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("agent.sock"));
        Path log = dir.resolve("class-init.log");
        try (Listener agent = Transports.listen(endpoint)) {
            Thread.ofVirtual().start(() -> answerOnce(agent));
            List<String> command = CliProcess.command(List.of("exec", "--connect", endpoint.toString(), "--", "true"));
            command.add(1, "-Xlog:class+init=info:file=" + log);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().remove(AgentEndpoint.ENV);
            Process p = pb.start();
            p.getOutputStream().close();
            CliProcess.Result r = CliProcess.collect(p, p.getInputStream());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
        String initialized = Files.readString(log);
        assertThat(initialized).contains("'sun/nio/ch/UnixDomainSockets'");
        assertThat(initialized).doesNotContain("'sun/security/provider/Sun'", "'sun/security/util/KnownOIDs'");
    }

    @Test
    void theDeferredGeneratorDrawsFromTheSystemsAlgorithm() throws Exception {
        UnixChannelStartup.DeferredRandom random = new UnixChannelStartup.DeferredRandom();
        byte[] first = new byte[32];
        byte[] second = new byte[32];
        random.engineNextBytes(first);
        random.engineNextBytes(second);
        assertThat(first).isNotEqualTo(second).isNotEqualTo(new byte[32]);
        assertThat(random.engineGenerateSeed(16)).hasSize(16);
        assertThat(random.algorithm()).isEqualTo(UnixChannelStartup.ALGORITHM);
    }

    private static void answerOnce(Listener agent) {
        try (Connection c = agent.accept(Deadline.after(CliProcess.PATIENCE))) {
            new FrameReader(c.input(), FrameDescriptor.DEFAULT_MAX_PAYLOAD).read();
            new FrameWriter(c.output()).write(new Frame(MessageType.EXEC_RESULT,
                    "{\"exit_code\":0,\"stdout\":null,\"stderr\":null,\"error\":\"\"}".getBytes(UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
