package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.protocol.ByteSource;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputBufferTest {
    private final MemoryBudget budget = new MemoryBudget(64L << 20, 32L << 20);

    /** Feeds {@code total} bytes of {@code fill} to {@code stream} in reads of at most {@code step}, as a pipe would. */
    private static void write(OutputBuffer buffer, OutputBuffer.Stream stream, long total, int step, byte fill) {
        long left = total;
        while (left > 0) {
            OutputBuffer.Target target = buffer.target(stream, (int) Math.min(step, left));
            Arrays.fill(target.array(), target.offset(), target.offset() + target.length(), fill);
            buffer.arrived(stream, target, target.length());
            left -= target.length();
        }
    }

    private static byte[] bytes(ByteSource source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.writeTo(out);
        assertThat(out.size()).isEqualTo(source.length());
        return out.toByteArray();
    }

    @Test
    void bothOutputsAreKeptWholeWhileTheyFit() throws IOException {
        OutputBuffer buffer = new OutputBuffer(100_000, budget.account());
        write(buffer, OutputBuffer.Stream.STDOUT, 60_000, 16 * 1024, (byte) 'o');
        write(buffer, OutputBuffer.Stream.STDERR, 40_000, 100, (byte) 'e');

        assertThat(buffer.error()).isEmpty();
        assertThat(bytes(buffer.stdout())).hasSize(60_000).containsOnly('o');
        assertThat(bytes(buffer.stderr())).hasSize(40_000).containsOnly('e');
    }

    @Test
    void aLineOfStderrAfterTwentyMebibytesOfStdoutIsKeptAndTheErrorSaysWhatWasDropped() throws IOException {
        int limit = OutputBuffer.limitFor(16 << 20);
        OutputBuffer buffer = new OutputBuffer(limit, budget.account());
        write(buffer, OutputBuffer.Stream.STDOUT, 20_000_000, 16 * 1024, (byte) 'o');
        write(buffer, OutputBuffer.Stream.STDERR, 10, 16 * 1024, (byte) 'e');

        assertThat(bytes(buffer.stderr())).hasSize(10);
        assertThat(buffer.stdout().length()).isEqualTo(limit - 10);
        assertThat(buffer.dropped(OutputBuffer.Stream.STDOUT)).isEqualTo(20_000_000 - (limit - 10));
        assertThat(buffer.error()).isEqualTo("output exceeded the 12579840-byte limit of buffered mode (Exec): kept"
                + " 12579830 of 20000000 bytes of stdout (7420170 dropped) and all 10 bytes of stderr; use streaming"
                + " (ExecStream) for large output");
    }

    @Test
    void twoLargeOutputsKeepHalfTheLimitEach() throws IOException {
        OutputBuffer buffer = new OutputBuffer(1_000_001, budget.account());
        for (int i = 0; i < 100; i++) { // interleaved, as a command writing both would
            write(buffer, OutputBuffer.Stream.STDERR, 30_000, 4096, (byte) 'e');
            write(buffer, OutputBuffer.Stream.STDOUT, 20_000, 4096, (byte) 'o');
        }

        assertThat(buffer.stdout().length()).isEqualTo(500_000);
        assertThat(buffer.stderr().length()).isEqualTo(500_001);
        assertThat(buffer.dropped(OutputBuffer.Stream.STDOUT)).isEqualTo(1_500_000);
        assertThat(buffer.dropped(OutputBuffer.Stream.STDERR)).isEqualTo(2_499_999);
        assertThat(bytes(buffer.stdout())).containsOnly('o');
        assertThat(buffer.error()).contains("500000 of 2000000 bytes of stdout (1500000 dropped)",
                "500001 of 3000000 bytes of stderr (2499999 dropped)");
    }

    @Test
    void theOutputIsHeldOnceAndGivenBackAsItIsWritten() throws IOException {
        MemoryBudget.Account account = budget.account();
        OutputBuffer buffer = new OutputBuffer(OutputBuffer.limitFor(16 << 20), account);
        write(buffer, OutputBuffer.Stream.STDOUT, 10_000_000, 16 * 1024, (byte) 'o');

        assertThat(account.held()).isBetween(10_000_000L, 10_000_000L + OutputChunks.LARGEST_CHUNK);
        ByteSource reply = ExecPayloads.execResult(0, buffer.stdout(), buffer.stderr(), buffer.error());
        long[] mostHeld = {0};
        reply.writeTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                mostHeld[0] = Math.max(mostHeld[0], account.held());
            }
        });

        assertThat(account.held()).isZero();
        assertThat(mostHeld[0]).isLessThanOrEqualTo(10_000_000L + OutputChunks.LARGEST_CHUNK);
    }

    @Test
    void aFullReplyFitsTheFrameLimit() throws IOException {
        for (int maxFrame : new int[] {AgentConfig.MIN_MAX_FRAME, 1 << 20, AgentConfig.DEFAULT_MAX_FRAME}) {
            int limit = OutputBuffer.limitFor(maxFrame);
            OutputBuffer full = new OutputBuffer(limit, budget.account());
            write(full, OutputBuffer.Stream.STDOUT, Integer.MAX_VALUE / 8, 16 * 1024, (byte) 1);
            write(full, OutputBuffer.Stream.STDERR, Integer.MAX_VALUE / 8, 16 * 1024, (byte) 2);

            ByteSource reply = ExecPayloads.execResult(-2147483648, full.stdout(), full.stderr(), full.error());

            assertThat(reply.length()).as("maxFrame " + maxFrame).isLessThanOrEqualTo(maxFrame);
            full.release();
        }
    }

    @Test
    void aCancelledWaitForMemoryDropsTheRestAndSaysSo() throws Exception {
        MemoryBudget small = new MemoryBudget(OutputChunks.FIRST_CHUNK, OutputChunks.FIRST_CHUNK);
        small.account().reserve(OutputChunks.FIRST_CHUNK); // all of it, held elsewhere
        OutputBuffer buffer = new OutputBuffer(100_000, small.account());
        boolean[] watched = {false};
        buffer.beforeWaiting(() -> {
            watched[0] = true;
            buffer.abandon(); // as the host's leaving would, while the session waits
        });

        write(buffer, OutputBuffer.Stream.STDOUT, 1000, 1000, (byte) 'o');

        assertThat(watched[0]).isTrue();
        assertThat(buffer.stdout().length()).isZero();
        assertThat(buffer.error()).startsWith("the session was cancelled while its output waited for memory: kept 0 of"
                + " 1000 bytes of stdout");
    }

    @Test
    void theSameReplyAsTheWholeEncoding() throws IOException {
        OutputBuffer buffer = new OutputBuffer(1000, budget.account());
        write(buffer, OutputBuffer.Stream.STDOUT, 700, 64, (byte) 'o');
        write(buffer, OutputBuffer.Stream.STDERR, 700, 64, (byte) 'e');
        byte[] out = new byte[500];
        Arrays.fill(out, (byte) 'o');
        byte[] err = new byte[500];
        Arrays.fill(err, (byte) 'e');

        byte[] streamed = bytes(ExecPayloads.execResult(3, buffer.stdout(), buffer.stderr(), buffer.error()));

        assertThat(streamed).isEqualTo(ExecPayloads.encode(new ExecResponse(3, Bytes.of(out), Bytes.of(err), buffer.error())));
    }
}
