package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Payloads;
import org.junit.jupiter.api.Test;

class OutputBufferTest {

    @Test
    void bothStreamsShareOneBudgetAndTheExcessIsCounted() throws Exception {
        OutputBuffer buffer = new OutputBuffer(10);

        buffer.stdoutSink().accept("123456".getBytes(), 0, 6);
        buffer.stderrSink().accept("abcdef".getBytes(), 0, 6);
        buffer.stdoutSink().accept("xyz".getBytes(), 0, 3);

        assertThat(new String(buffer.stdout())).isEqualTo("123456");
        assertThat(new String(buffer.stderr())).isEqualTo("abcd");
        assertThat(buffer.discarded()).isEqualTo(5);
        assertThat(buffer.error()).contains("10-byte limit", "5 bytes discarded", "use streaming");
    }

    @Test
    void noErrorWhenEverythingFits() throws Exception {
        OutputBuffer buffer = new OutputBuffer(10);
        buffer.stdoutSink().accept("1234567890".getBytes(), 0, 10);

        assertThat(buffer.error()).isEmpty();
    }

    @Test
    void aFullReplyFitsTheFrameLimit() {
        for (int maxFrame : new int[] {AgentConfig.MIN_MAX_FRAME, 1 << 20, AgentConfig.DEFAULT_MAX_FRAME}) {
            int limit = OutputBuffer.limitFor(maxFrame);
            OutputBuffer full = new OutputBuffer(limit);
            byte[] worst = new byte[limit / 2 + 1];

            ExecResponse reply = new ExecResponse(-2147483648, worst, new byte[limit - worst.length],
                    "output exceeded the " + limit + "-byte limit of buffered mode (Exec): 9223372036854775807 bytes"
                            + " discarded; use streaming (ExecStream) for large output");

            assertThat(Payloads.encode(reply).length).as("maxFrame " + maxFrame).isLessThanOrEqualTo(maxFrame);
            assertThat(full.limit()).isEqualTo(limit);
        }
    }
}
