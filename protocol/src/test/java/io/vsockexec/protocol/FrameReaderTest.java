package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.exactly;
import static io.vsockexec.protocol.TestStreams.oneBytePerRead;
import static io.vsockexec.protocol.TestStreams.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameReaderTest {
    private static final int MAX = FrameDescriptor.DEFAULT_MAX_PAYLOAD;

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes), MAX);
    }

    @Test
    void readsTypeLengthAndPayload() throws Exception {
        Frame frame = reader(unhex("03 00000002 6869")).read();

        assertThat(frame).isEqualTo(new Frame(MessageType.STDOUT, "hi".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void readsZeroLengthPayload() throws Exception {
        Frame frame = reader(unhex("07 00000000")).read();

        assertThat(frame.type()).isEqualTo(MessageType.STDIN);
        assertThat(frame.payload()).isEmpty();
    }

    @Test
    void readsFramesFromStreamThatReturnsOneBytePerRead() throws Exception {
        FrameReader reader = new FrameReader(
                oneBytePerRead(unhex("03 00000003 616263  07 00000000  0a 00000004 ffffffff")), MAX);

        assertThat(reader.read()).isEqualTo(new Frame(MessageType.STDOUT, unhex("616263")));
        assertThat(reader.read()).isEqualTo(Frame.empty(MessageType.STDIN));
        assertThat(reader.read()).isEqualTo(new Frame(MessageType.EXIT, unhex("ffffffff")));
        assertThat(reader.read()).isNull();
    }

    @Test
    void returnsNullWhenStreamEndsAtFrameBoundary() throws Exception {
        assertThat(reader(new byte[0]).read()).isNull();

        FrameReader reader = reader(unhex("06 00000000"));
        assertThat(reader.read()).isEqualTo(Frame.empty(MessageType.READY));
        assertThat(reader.read()).isNull();
        assertThat(reader.read()).isNull();
    }

    @Test
    void throwsEofWhenStreamEndsInsideHeader() {
        assertThatThrownBy(() -> new FrameReader(oneBytePerRead(unhex("03 0000")), MAX).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside a frame header: expected 5 bytes, got 3");
    }

    @Test
    void throwsEofWhenStreamEndsInsidePayload() {
        assertThatThrownBy(() -> new FrameReader(oneBytePerRead(unhex("04 0000000a 01020304")), MAX).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside the payload of a STDERR frame: expected 10 bytes, got 4");
    }

    @Test
    void rejectsLengthOverLimitRightAfterTheHeaderWithoutAllocating() {
        // The stream offers the 5 header bytes and fails the test if asked for more: the reader
        // must decide from the header alone, before it could allocate or wait for 4 GiB.
        InputStream headerOnly = exactly(unhex("01 ffffffff"));

        assertThatThrownBy(() -> new FrameReader(headerOnly, MAX).read())
                .isInstanceOf(FrameTooLongException.class)
                .hasMessage("frame payload of 4294967295 bytes exceeds the limit of 16777216 bytes")
                .satisfies(e -> {
                    assertThat(((FrameTooLongException) e).length()).isEqualTo(4_294_967_295L);
                    assertThat(((FrameTooLongException) e).limit()).isEqualTo(16_777_216);
                });
    }

    @Test
    void rejectsFrameLongerThanConfiguredLimit() {
        assertThatThrownBy(() -> new FrameReader(exactly(unhex("03 0000000b")), 10).read())
                .isInstanceOf(FrameTooLongException.class)
                .hasMessage("frame payload of 11 bytes exceeds the limit of 10 bytes");
    }

    @Test
    void acceptsFrameExactlyAtTheLimit() throws Exception {
        Frame frame = new FrameReader(new ByteArrayInputStream(unhex("03 0000000a 00010203040506070809")), 10).read();

        assertThat(frame.payload()).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 18, 99, 255})
    void skipsPayloadOfUnknownTypeSoTheNextFrameCanBeRead(int code) throws Exception {
        byte[] unknown = new byte[5 + 20_000];
        FrameDescriptor.putHeader(unknown, 0, MessageType.STDOUT, 20_000);
        unknown[0] = (byte) code;
        byte[] next = unhex("03 00000002 6f6b");
        byte[] stream = new byte[unknown.length + next.length];
        System.arraycopy(unknown, 0, stream, 0, unknown.length);
        System.arraycopy(next, 0, stream, unknown.length, next.length);
        FrameReader reader = new FrameReader(TestStreams.chunked(stream, 777), MAX);

        assertThatThrownBy(reader::read)
                .isInstanceOf(UnknownMessageTypeException.class)
                .hasMessageStartingWith("unknown message type " + code);
        assertThat(reader.read()).isEqualTo(new Frame(MessageType.STDOUT, unhex("6f6b")));
        assertThat(reader.read()).isNull();
    }

    @Test
    void throwsEofWhenStreamEndsInsidePayloadOfUnknownType() {
        assertThatThrownBy(() -> reader(unhex("12 00000008 0102")).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside the payload of a frame of unknown type 18: expected 8 bytes, got 2");
    }

    @Test
    void reportsLengthOverLimitBeforeUnknownType() {
        assertThatThrownBy(() -> new FrameReader(exactly(unhex("ff 00000100")), 16).read())
                .isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void tooLongFrameStillNamesItsTypeByte() {
        assertThatThrownBy(() -> new FrameReader(exactly(unhex("0c 00000100")), 16).read())
                .isInstanceOfSatisfying(FrameTooLongException.class,
                        e -> assertThat(e.typeCode()).isEqualTo(MessageType.EXEC_PIPE.code()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MAX_VALUE})
    void rejectsMaxPayloadThatIsNotPositiveOrTooLargeForAnArray(int maxPayload) {
        assertThatThrownBy(() -> new FrameReader(InputStream.nullInputStream(), maxPayload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got " + maxPayload);
    }
}
