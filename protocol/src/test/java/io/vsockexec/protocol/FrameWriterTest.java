package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.hex;
import static io.vsockexec.protocol.TestStreams.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.TestStreams.FailingOutputStream;
import io.vsockexec.protocol.TestStreams.RecordingOutputStream;
import io.vsockexec.protocol.TestStreams.SplittingOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameWriterTest {

    @Test
    void writesHeaderAndPayloadInOneWriteCall() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();

        new FrameWriter(out).write(new Frame(MessageType.STDOUT, unhex("6869")));

        assertThat(out.writes).hasSize(1);
        assertThat(hex(out.writes.get(0))).isEqualTo("03000000026869");
    }

    @Test
    void writesZeroLengthPayloadAsHeaderOnly() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();

        new FrameWriter(out).write(Frame.empty(MessageType.STDIN));

        assertThat(out.writes).hasSize(1);
        assertThat(hex(out.writes.get(0))).isEqualTo("0700000000");
    }

    @Test
    void writesTheHeaderIntoTheRoomBeforeThePayloadInOneWriteCall() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();
        byte[] buffer = unhex("ffffffffffffff6869ff"); // two spare bytes, the header's room, "hi", one more

        new FrameWriter(out).writeWithHeaderRoom(MessageType.STDIN, buffer, 7, 2);

        assertThat(out.writes).hasSize(1);
        assertThat(hex(out.writes.get(0))).isEqualTo("07000000026869");
        assertThat(hex(buffer)).as("only the room was written").isEqualTo("ffff07000000026869ff");
    }

    @Test
    void rejectsAPayloadWithoutRoomForTheHeader() {
        RecordingOutputStream out = new RecordingOutputStream();

        assertThatThrownBy(() -> new FrameWriter(out).writeWithHeaderRoom(MessageType.STDIN, new byte[10], 4, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no room for the 5-byte header before a payload at offset 4");
        assertThat(out.writes).isEmpty();
    }

    @Test
    void rejectsAPayloadInPlaceLongerThanTheLimitWithoutWriting() {
        RecordingOutputStream out = new RecordingOutputStream();

        assertThatThrownBy(() -> new FrameWriter(out, 4).writeWithHeaderRoom(MessageType.STDIN, new byte[10], 5, 5))
                .isInstanceOf(FrameTooLongException.class);
        assertThat(out.writes).isEmpty();
    }

    @Test
    void writesSliceOfBufferAsPayload() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();

        new FrameWriter(out).write(MessageType.STDERR, unhex("0001020304"), 1, 3);

        assertThat(hex(out.all())).isEqualTo("0400000003010203");
    }

    @Test
    void writesEachFrameExactlyWhateverTheSizeOfTheFrameBefore() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();
        FrameWriter writer = new FrameWriter(out);
        byte[] big = new byte[FrameWriter.RETAINED_BUFFER_LIMIT * 2];
        new Random(1).nextBytes(big);
        byte[] medium = new byte[1000];
        new Random(2).nextBytes(medium);

        writer.write(new Frame(MessageType.STDOUT, medium));
        writer.write(new Frame(MessageType.STDOUT, big));
        writer.write(new Frame(MessageType.STDERR, unhex("41")));
        writer.write(new Frame(MessageType.STDOUT, medium));

        assertThat(out.writes).hasSize(4);
        assertThat(out.writes.get(0)).hasSize(1005).endsWith(medium);
        assertThat(out.writes.get(1)).hasSize(big.length + 5).endsWith(big);
        assertThat(hex(out.writes.get(2))).isEqualTo("040000000141");
        assertThat(out.writes.get(3)).hasSize(1005).endsWith(medium);
    }

    @Test
    void rejectsPayloadOverLimitBeforeWritingAnything() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();
        FrameWriter writer = new FrameWriter(out, 4);

        assertThatThrownBy(() -> writer.write(new Frame(MessageType.STDOUT, new byte[5])))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessage("frame payload of 5 bytes exceeds the limit of 4 bytes");
        assertThat(out.writes).isEmpty();

        writer.write(new Frame(MessageType.STDOUT, new byte[4]));
        assertThat(out.writes).hasSize(1);
    }

    @Test
    void failsEveryWriteAfterTheStreamFailedMidFrame() {
        FailingOutputStream out = new FailingOutputStream(3);
        FrameWriter writer = new FrameWriter(out);

        assertThatThrownBy(() -> writer.write(new Frame(MessageType.STDOUT, unhex("686869"))))
                .hasMessage("connection reset (test)");
        assertThatThrownBy(() -> writer.write(new Frame(MessageType.EXIT, unhex("00000000"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("an earlier write failed")
                .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(writer::flush).hasMessageContaining("an earlier write failed");

        assertThat(out.calls).isEqualTo(1);
        assertThat(hex(out.written.toByteArray())).isEqualTo("030000");
    }

    @Test
    void flushFlushesTheStream() throws Exception {
        RecordingOutputStream out = new RecordingOutputStream();

        new FrameWriter(out).flush();

        assertThat(out.flushes).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void rejectsMaxPayloadThatIsNotPositive(int maxPayload) {
        assertThatThrownBy(() -> new FrameWriter(OutputStream.nullOutputStream(), maxPayload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got " + maxPayload);
    }

    @Test
    void concurrentWritersNeverInterleaveFrames() throws Exception {
        int threads = 8;
        int framesPerThread = 1000;
        SplittingOutputStream out = new SplittingOutputStream(3);
        FrameWriter writer = new FrameWriter(out);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int seq = 0; seq < framesPerThread; seq++) {
                        writer.write(new Frame(MessageType.STDOUT, payload(id, seq)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(failures).isEmpty();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()), 1024);
        int[] nextSeq = new int[threads];
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            ByteBuffer p = ByteBuffer.wrap(frame.payload());
            int id = p.getInt();
            int seq = p.getInt();
            assertThat(frame.payload()).as("frame %d of writer %d", seq, id).isEqualTo(payload(id, seq));
            assertThat(seq).as("order of writer %d", id).isEqualTo(nextSeq[id]);
            nextSeq[id]++;
        }
        assertThat(nextSeq).containsOnly(framesPerThread);
    }

    /** Writer id, sequence number, then 0 to 96 filler bytes that depend on both. */
    private static byte[] payload(int id, int seq) {
        int filler = (seq * 7 + id) % 97;
        ByteBuffer b = ByteBuffer.allocate(8 + filler).putInt(id).putInt(seq);
        for (int i = 0; i < filler; i++) {
            b.put((byte) (id * 31 + seq + i));
        }
        return b.array();
    }
}
