package io.vsockexec.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.TestStreams.RecordingOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A buffered reply written as it goes out is the same frame as one encoded whole. */
class StreamedExecResultTest {

    /** {@code bytes} handed out in pieces of random sizes, as an agent holds its output in chunks. */
    private static ByteSource pieces(byte[] bytes, Random random) {
        return announcing(bytes.length, bytes, random);
    }

    /** A source that announces {@code length} bytes and writes {@code bytes}, in pieces of random sizes, whatever it announced. */
    private static ByteSource announcing(long length, byte[] bytes, Random random) {
        return new ByteSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                int at = 0;
                while (at < bytes.length) {
                    int n = Math.min(bytes.length - at, 1 + random.nextInt(70_000));
                    out.write(bytes, at, n);
                    at += n;
                }
            }
        };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    @Test
    void theStreamedPayloadIsByteForByteTheEncodedOne() throws IOException {
        Random random = new Random(18);
        int[] sizes = {0, 1, 2, 3, 4, 5, 65_535, 65_536, 65_537, 1_000_000};
        for (int out : sizes) {
            for (int err : new int[] {0, 1, 2, 10, 200_001}) {
                byte[] stdout = randomBytes(random, out);
                byte[] stderr = randomBytes(random, err);
                String error = random.nextBoolean() ? "" : "dropped <1> \"byte\"\n";
                int code = random.nextInt(300) - 20;
                byte[] whole = ExecPayloads.encode(new ExecResponse(code, Bytes.of(stdout), Bytes.of(stderr), error));

                ByteSource streamed = ExecPayloads.execResult(code, pieces(stdout, random), pieces(stderr, random), error);
                ByteArrayOutputStream written = new ByteArrayOutputStream();
                streamed.writeTo(written);

                assertThat(streamed.length()).as(out + "/" + err).isEqualTo(whole.length);
                assertThat(written.toByteArray()).as(out + "/" + err).isEqualTo(whole);
            }
        }
    }

    @Test
    void aFrameOfAByteSourceGoesOutHeaderFirstInBoundedWrites() throws IOException {
        Random random = new Random(5);
        byte[] stdout = randomBytes(random, 3_000_000);
        RecordingOutputStream out = new RecordingOutputStream();

        new FrameWriter(out).write(MessageType.EXEC_RESULT, ExecPayloads.execResult(0, pieces(stdout, random),
                pieces(new byte[0], random), ""));

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new FrameWriter(expected).write(new Frame(MessageType.EXEC_RESULT,
                ExecPayloads.encode(new ExecResponse(0, Bytes.of(stdout), null, null))));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        out.writes.forEach(all::writeBytes);
        assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(out.writes).allSatisfy(w -> assertThat(w.length).isLessThanOrEqualTo(64 * 1024 + 5));
        assertThat(out.writes.size()).isGreaterThan(60);
    }

    @Test
    void aSourceThatBreaksItsWordLeavesTheWriterUnusable() throws IOException {
        ByteSource liar = announcing(10, new byte[9], new Random());
        FrameWriter writer = new FrameWriter(new ByteArrayOutputStream());

        assertThatThrownBy(() -> writer.write(MessageType.STDOUT, liar)).hasMessageContaining("not the 10 it announced");
        assertThatThrownBy(() -> writer.write(Frame.empty(MessageType.STDIN))).hasMessageContaining("unusable");
    }

    @Test
    void aSourceLongerThanItsWordIsStoppedAtTheFrameEnd() {
        ByteSource liar = announcing(3, new byte[4], new Random());

        assertThatThrownBy(() -> new FrameWriter(new ByteArrayOutputStream()).write(MessageType.STDOUT, liar))
                .hasMessageContaining("longer than the 3 bytes it announced");
    }

    @Test
    void aPayloadOverTheLimitIsRefusedBeforeAnythingIsWritten() {
        RecordingOutputStream out = new RecordingOutputStream();
        ByteSource big = ExecPayloads.execResult(0, pieces(new byte[2000], new Random()), pieces(new byte[0], new Random()), "");

        assertThatThrownBy(() -> new FrameWriter(out, 1000).write(MessageType.EXEC_RESULT, big))
                .isInstanceOf(FrameTooLongException.class);
        assertThat(out.writes).isEmpty();
    }
}
