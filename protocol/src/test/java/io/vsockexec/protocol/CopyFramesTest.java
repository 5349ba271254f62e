package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The copy extension's payloads, byte for byte, and its data streams: a tar stream carried in
 * CopyData frames of at most a chunk, ended by an empty frame, and cut short by any other frame.
 */
class CopyFramesTest {

    private static String json(byte[] payload) {
        return new String(payload, UTF_8);
    }

    @Test
    void copyPayloadsAreWrittenFieldByFieldWithEmptyOnesLeftOut() throws Exception {
        assertThat(json(CopyPayloads.encode(new CopyInRequest("/srv/www", false, "")))).isEqualTo("{\"path\":\"/srv/www\"}");
        assertThat(json(CopyPayloads.encode(new CopyInRequest("/srv/<w>/", true, "1000:1000"))))
                .isEqualTo("{\"path\":\"/srv/\\u003cw\\u003e/\",\"into\":true,\"user\":\"1000:1000\"}");
        assertThat(json(CopyPayloads.encode(new CopyOutRequest("/var/log/.", true))))
                .isEqualTo("{\"path\":\"/var/log/.\",\"follow_link\":true}");
        assertThat(json(CopyPayloads.encode(new CopyResponse(3, 1024, 0, "", "")))).isEqualTo("{\"entries\":3,\"bytes\":1024}");
        assertThat(json(CopyPayloads.encode(new CopyResponse(1, 0, 2, "/run/s: socket not copied (and 1 more)", "e"))))
                .isEqualTo("{\"entries\":1,\"bytes\":0,\"skipped\":2,\"warning\":\"/run/s: socket not copied (and 1 more)\","
                        + "\"error\":\"e\"}");

        assertThat(CopyPayloads.decodeCopyInRequest("{\"PATH\":\"/a\",\"into\":null,\"x\":[1]}".getBytes(UTF_8)))
                .isEqualTo(new CopyInRequest("/a", false, ""));
        assertThatThrownBy(() -> CopyPayloads.decodeCopyInRequest("{\"into\":\"yes\"}".getBytes(UTF_8)))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("into");
        assertThatThrownBy(() -> CopyPayloads.decodeCopyResponse("{\"bytes\":-1}".getBytes(UTF_8)))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("bytes");
    }

    @Test
    void aStreamGoesInFramesOfAChunkAndEndsWithAnEmptyOne() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataFrameOutput out = new DataFrameOutput(new FrameWriter(wire), MessageType.COPY_DATA, 1000);
        byte[] data = new byte[2500];
        new Random(1).nextBytes(data);
        out.write(data, 0, 1500);
        ByteArrayInputStream rest = new ByteArrayInputStream(data, 1500, 1000);
        while (out.fillFrom(rest, 5000) >= 0) {
            // one read call each, never more than the frame has room for
        }
        out.finish();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 1 << 20);
        List<Integer> lengths = new ArrayList<>();
        for (Frame f = reader.read(); f != null; f = reader.read()) {
            assertThat(f.type()).isEqualTo(MessageType.COPY_DATA);
            lengths.add(f.payload().length);
        }
        assertThat(lengths).containsExactly(1000, 1000, 500, 0);
        assertThat(out.written()).isEqualTo(2500);

        DataFrameInput in = new DataFrameInput(new FrameReader(TestStreams.chunked(wire.toByteArray(), 7), 1 << 20),
                MessageType.COPY_DATA);
        assertThat(in.readAllBytes()).isEqualTo(data);
        assertThat(in.isComplete()).isTrue();
        assertThat(in.interruption()).isNull();
    }

    @Test
    void anotherFrameCutsTheStreamShortAndTheConnectionEndingIsAnError() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire);
        writer.write(new Frame(MessageType.COPY_DATA, "abc".getBytes(UTF_8)));
        writer.write(Messages.encode(new Message.CopyResult(CopyResponse.failed("read /x: i/o error"))));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 1 << 20);
        DataFrameInput in = new DataFrameInput(reader, MessageType.COPY_DATA);

        assertThat(in.readAllBytes()).isEqualTo("abc".getBytes(UTF_8));
        assertThat(in.isComplete()).isFalse();
        assertThat(in.interruption().type()).isEqualTo(MessageType.COPY_RESULT);
        assertThat(CopyPayloads.decodeCopyResponse(reader.readPayload(in.interruption())).error()).isEqualTo("read /x: i/o error");

        byte[] cut = Arrays.copyOf(wire.toByteArray(), 8);
        DataFrameInput ended = new DataFrameInput(new FrameReader(new ByteArrayInputStream(cut), 1 << 20),
                MessageType.COPY_DATA);
        assertThatThrownBy(ended::readAllBytes).isInstanceOf(EOFException.class);
    }

    @Test
    void aTarStreamGoesThroughDataFramesUnchanged() throws IOException {
        byte[] content = new byte[300_000];
        new Random(2).nextBytes(content);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataFrameOutput frames = new DataFrameOutput(new FrameWriter(wire), MessageType.COPY_DATA);
        TarWriter tar = new TarWriter(frames);
        tar.writeEntry(TarEntry.file("big", 0600, content.length, 1));
        tar.writeContent(new ByteArrayInputStream(content), content.length);
        tar.finish();
        frames.finish();

        DataFrameInput in = new DataFrameInput(new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 1 << 20),
                MessageType.COPY_DATA);
        TarReader reader = new TarReader(in);
        assertThat(reader.next()).isEqualTo(TarEntry.file("big", 0600, content.length, 1));
        assertThat(reader.content().readAllBytes()).isEqualTo(content);
        assertThat(reader.next()).isNull();
        in.drain();
        assertThat(in.isComplete()).isTrue();
    }
    @Test
    void copyDataFramesOfAQuarterMebibytePassPeersWhoseFrameLimitIsSmaller() throws IOException {
        int small = 64 * 1024;
        byte[] data = new byte[600_000];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataFrameOutput out = new DataFrameOutput(new FrameWriter(wire, small), MessageType.COPY_DATA);
        out.write(data);
        out.finish();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), small);
        List<Integer> lengths = new ArrayList<>();
        for (FrameHeader h = reader.readHeader(); h != null; h = reader.readHeader()) {
            lengths.add(h.length());
            reader.payload(h).readAllBytes();
        }
        assertThat(lengths).containsExactly(DataFrameOutput.CHUNK, DataFrameOutput.CHUNK,
                data.length - 2 * DataFrameOutput.CHUNK, 0);
        DataFrameInput in = new DataFrameInput(new FrameReader(TestStreams.chunked(wire.toByteArray(), 4099), small),
                MessageType.COPY_DATA);
        assertThat(in.readAllBytes()).isEqualTo(data);

        // Only a copy's data: every other type keeps the configured limit.
        assertThatThrownBy(() -> new FrameWriter(new ByteArrayOutputStream(), small)
                .write(new Frame(MessageType.STDOUT, new byte[small + 1]))).isInstanceOf(FrameTooLongException.class);
        assertThat(FrameDescriptor.maxPayload(MessageType.COPY_DATA, 1 << 20)).isEqualTo(1 << 20);
    }
}
