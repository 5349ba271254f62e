package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --stall-timeout}, against a real agent process: a host that stops reading is treated as gone, a slow one is not. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StalledHostTest {
    @TempDir
    Path dir;

    @Test
    void aSessionWhoseHostStopsReadingIsCancelledAfterTheStallTimeout() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "stalled-host", "--stall-timeout", "2s", "--grace", "1s");
                FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecPipe(ExecRequest.of("echo $$; exec yes")));
            String first = c.awaitStdout(new FrameClient.Transcript(), "\n");
            long pid = Long.parseLong(first.substring(0, first.indexOf('\n')));
            // From here on the host reads nothing; yes writes on until the buffers are full.

            Processes.awaitGone(pid, "the command of a session whose host stopped reading is still running");
            agent.awaitLog("the peer has read nothing for 2s");
            assertThat(agent.log()).contains("session 1 exec-pipe /bin/sh -c user=- ").doesNotContain("exit=");
        }
    }

    @Test
    void aHostThatReadsSlowlyButSteadilyIsServedToTheEnd() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "slow-host", "--stall-timeout", "3s");
                FrameClient c = FrameClient.connect(agent.unix)) {
            c.send(new Message.ExecStream(ExecRequest.of("head -c 4000000 /dev/zero")));
            long bytes = 0;
            Frame f;
            // 4 MB in frames of at most 64 KiB, one every 100 ms: longer in all than the stall
            // timeout, never a stall.
            while ((f = c.next()).type() == MessageType.STDOUT) {
                bytes += f.payload().length;
                Thread.sleep(100);
            }

            assertThat(f.type()).isEqualTo(MessageType.EXEC_RESULT);
            assertThat(ExecPayloads.decodeExecResponse(f.payload()).exitCode()).isZero();
            assertThat(bytes).isEqualTo(4_000_000);
            assertThat(agent.log()).doesNotContain("read nothing");
        }
    }
}
