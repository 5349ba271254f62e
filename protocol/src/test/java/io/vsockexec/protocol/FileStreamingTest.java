package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.unhex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The streamed forms of the file payloads produce and accept exactly what the whole forms do,
 * and the codec carries a file frame as a stream: the header first, the payload in pieces.
 */
class FileStreamingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] streamed(StreamedPayload payload, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        payload.writeTo(out, new ByteArrayInputStream(content));
        assertThat((long) out.size()).as("length computed up front").isEqualTo(payload.length());
        return out.toByteArray();
    }

    /** Decodes a streamed WriteFile, collecting each content stream it opens with the path known then. */
    private static final class Collected implements FileRequestPayloads.ContentStreams {
        final List<String> paths = new ArrayList<>();
        final List<ByteArrayOutputStream> contents = new ArrayList<>();
        int closed;

        @Override
        public OutputStream open(String pathSoFar) {
            paths.add(pathSoFar);
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public void close() {
                    closed++;
                }
            };
            contents.add(out);
            return out;
        }

        byte[] last() {
            return contents.getLast().toByteArray();
        }
    }

    private static WriteFileRequest decodeStreamed(byte[] payload, Collected into) throws IOException {
        return FileRequestPayloads.decodeWriteFile(TestStreams.chunked(payload, 1000), into);
    }

    // ---------------------------------------------------------------- encoding

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 48 * 1024 - 1, 48 * 1024, 48 * 1024 + 1, 200_001})
    void aStreamedWriteRequestIsByteForByteTheWholeOne(int size) throws Exception {
        byte[] content = random(size);

        byte[] streamed = streamed(FileRequestPayloads.writeFileRequest("/dir/<f>", size, 0640), content);

        assertThat(streamed).isEqualTo(FileRequestPayloads.encode(new WriteFileRequest("/dir/<f>", Bytes.of(content), 0640)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 48 * 1024, 100_000})
    void aStreamedReadResultIsByteForByteTheWholeOne(int size) throws Exception {
        byte[] content = random(size);

        byte[] streamed = streamed(FileResultPayloads.fileResultWithContent(size), content);

        assertThat(streamed).isEqualTo(FileResultPayloads.encode(new FileResponse(Bytes.of(content), null, null)));
    }

    @Test
    void anEmptyFileIsReadAsAnEmptyObject() throws Exception {
        assertThat(new String(streamed(FileResultPayloads.fileResultWithContent(0), new byte[0]), UTF_8)).isEqualTo("{}");
    }

    @Test
    void contentThatEndsEarlyIsAnEofNamingBothCounts() {
        assertThatThrownBy(() -> streamed(FileRequestPayloads.writeFileRequest("/a", 10, 0), new byte[4]))
                .isInstanceOf(EOFException.class)
                .hasMessage("content ended after 4 of 10 bytes");
    }

    // ---------------------------------------------------------------- decoding a write

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 12 * 1024, 12 * 1024 + 1, 100_000})
    void aStreamedWriteDecodesAsTheWholeDecoderDoes(int size) throws Exception {
        byte[] content = random(size);
        byte[] payload = FileRequestPayloads.encode(new WriteFileRequest("/x/y", Bytes.of(content), 0755));
        Collected into = new Collected();

        WriteFileRequest r = decodeStreamed(payload, into);

        assertThat(r).isEqualTo(new WriteFileRequest("/x/y", null, 0755));
        assertThat(into.paths).containsExactly("/x/y");
        assertThat(into.last()).isEqualTo(content);
        assertThat(into.closed).isEqualTo(1);
    }

    @Test
    void contentBeforeThePathOpensItsStreamWithNoPathYet() throws Exception {
        Collected into = new Collected();

        WriteFileRequest r = decodeStreamed(bytes("{\"mode\":384, \"content\":\"aGkK\",\"PATH\":\"/late\"}"), into);

        assertThat(r).isEqualTo(new WriteFileRequest("/late", null, 0600));
        assertThat(into.paths).containsExactly("");
        assertThat(into.last()).isEqualTo(bytes("hi\n"));
    }

    @Test
    void aRepeatedContentOpensANewStreamAndNullWritesNothing() throws Exception {
        Collected into = new Collected();

        decodeStreamed(bytes("{\"path\":\"/a\",\"content\":\"aGkK\",\"content\":null}"), into);

        assertThat(into.contents).hasSize(2);
        assertThat(into.last()).isEmpty();
        assertThat(into.closed).isEqualTo(2);
    }

    @Test
    void escapesAndLineBreaksInsideTheBase64AreDecodedAsGoDoes() throws Exception {
        Collected into = new Collected();

        decodeStreamed(bytes("{\"path\":\"/a\",\"content\":\"YWJj\\r\\nZG\\u0056m\\/w==\"}"), into);

        assertThat(into.last()).isEqualTo(new byte[] {'a', 'b', 'c', 'd', 'e', 'f', (byte) 0xff});
    }

    @Test
    void unknownFieldsOfAnyKindAreSkipped() throws Exception {
        Collected into = new Collected();

        WriteFileRequest r = decodeStreamed(bytes(
                " {\"x\":{\"a\":[1,\"]}\",{}]},\"path\":\"/a\",\"y\":-1.5e3,\"z\":true,\"content\":\"\",\"mode\":0} "), into);

        assertThat(r.path()).isEqualTo("/a");
        assertThat(into.last()).isEmpty();
    }

    @Test
    void aTopLevelNullIsARequestWithEveryFieldEmpty() throws Exception {
        assertThat(decodeStreamed(bytes("null"), new Collected())).isEqualTo(new WriteFileRequest("", null, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "|the payload is empty",
        "{\"content\":\"aGk\"}|field \"content\" is not padded base64: its length 3 is not a multiple of 4",
        "{\"content\":\"a.kK\"}|field \"content\" is not valid base64",
        "{\"content\":\"aQ==aGkK\"}|field \"content\" is not valid base64",
        "{\"content\":\"\u00e9\u00e9\u00e9\u00e9\"}|field \"content\" is not valid base64",
        "{\"content\":5}|field \"content\" must be a base64 string, got the number 5",
        "{\"path\":1}|field \"path\" must be a string, got the number 1",
        "{\"mode\":4294967296}|field \"mode\" must be between 0 and 4294967295",
        "{\"path\":\"/a\"} x|unexpected character 'x', expected the end of the payload",
        "{\"path\":\"/a\"}{}|unexpected data after the JSON value",
        "{\"path\":\"/a\"|unexpected end of input, expected ',' or '}'",
        "{\"content\":\"aGkK|unexpected end of input in a string",
        "{\"path\" \"/a\"}|expected ':' after a field name",
        "[]|expected a JSON object, got an array",
        "{\"content\":\"a\u0001\"}|control character 0x1 in a string must be escaped",
    })
    void malformedRequestsAreRejectedNamingWhatIsWrong(String caseText) {
        String[] parts = caseText.split("\\|", 2);

        assertThatThrownBy(() -> decodeStreamed(bytes(parts[0]), new Collected()))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageStartingWith("invalid WriteFileRequest payload: ")
                .hasMessageContaining(parts[1]);
    }

    @Test
    void dataAfterPaddingAcrossAChunkBoundaryIsRejected() {
        // 16 KiB of base64 ending with padding, then more: the padding sits at a chunk's end.
        String chunk = "A".repeat(16 * 1024 - 4) + "QQ==";
        byte[] payload = bytes("{\"content\":\"" + chunk + "AAAA\"}");

        assertThatThrownBy(() -> decodeStreamed(payload, new Collected()))
                .hasMessageContaining("data after the padding");
    }

    @Test
    void aValueOtherThanTheContentIsBoundedWhereverItIs() {
        byte[] payload = bytes("{\"unknown\":\"" + "x".repeat(JsonStreamReader.VALUE_LIMIT) + "\"}");

        assertThatThrownBy(() -> decodeStreamed(payload, new Collected()))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("the value of field \"unknown\" is longer than 65536 bytes");
    }

    // ---------------------------------------------------------------- decoding a read's reply

    @Test
    void aStreamedReadResultDecodesTheContentIntoTheStream() throws Exception {
        byte[] content = random(70_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        FileResponse r = FileResultPayloads.decodeFileResult(TestStreams.chunked(FileResultPayloads.encode(new FileResponse(Bytes.of(content), null, null)),
                333), out);

        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(r).isEqualTo(FileResponse.ok());
    }

    @Test
    void aStreamedReadResultCarriesTheErrorAndTheEntries() throws Exception {
        FileResponse r = FileResultPayloads.decodeFileResult(new ByteArrayInputStream(bytes(
                "{\"files\":[{\"name\":\"a\",\"size\":1,\"mode\":420,\"is_dir\":false}],\"error\":\"boom\"}")),
                OutputStream.nullOutputStream());

        assertThat(r).isEqualTo(new FileResponse(null, List.of(new FileInfo("a", 1, 420, false)), "boom"));
    }

    // ---------------------------------------------------------------- the codec

    @Test
    void fileFramesMayExceedTheConfiguredLimitUpToTheFileLimitWhenReadByHeader() throws Exception {
        byte[] header = unhex("0e 0155 5558"); // WriteFile, 22369624 bytes: 16 MiB in base64
        FrameReader reader = new FrameReader(TestStreams.exactly(header), FrameDescriptor.DEFAULT_MAX_PAYLOAD);

        FrameHeader h = reader.readHeader();

        assertThat(h).isEqualTo(new FrameHeader(MessageType.WRITE_FILE, 22_369_624));
    }

    @Test
    void wholeFrameReadsKeepTheConfiguredLimitForFileFramesToo() {
        FrameReader reader = new FrameReader(TestStreams.exactly(unhex("0e 0155 5558")), FrameDescriptor.DEFAULT_MAX_PAYLOAD);

        assertThatThrownBy(reader::read).isInstanceOf(FrameTooLongException.class)
                .extracting(e -> ((FrameTooLongException) e).typeCode()).isEqualTo(14);
    }

    @Test
    void fileFramesBeyondTheFileLimitAreRefusedFromTheHeader() {
        int over = FrameDescriptor.MAX_FILE_PAYLOAD + 1;
        byte[] header = {17, (byte) (over >>> 24), (byte) (over >>> 16), (byte) (over >>> 8), (byte) over};
        FrameReader reader = new FrameReader(TestStreams.exactly(header), FrameDescriptor.DEFAULT_MAX_PAYLOAD);

        assertThatThrownBy(reader::readHeader).isInstanceOf(FrameTooLongException.class)
                .hasMessage("frame payload of 22435161 bytes exceeds the limit of 22435160 bytes");
    }

    @Test
    void otherFramesKeepTheConfiguredLimitWhenReadByHeader() {
        FrameReader reader = new FrameReader(TestStreams.exactly(unhex("03 0000 0011")), 16);

        assertThatThrownBy(reader::readHeader).isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void aPayloadStreamEndsExactlyAtTheFrameSoTheNextFrameCanBeRead() throws Exception {
        byte[] wire = unhex("0f 00000003 616263 03 00000001 7a");
        FrameReader reader = new FrameReader(TestStreams.chunked(wire, 2), 64);

        InputStream payload = reader.payload(reader.readHeader());

        assertThat(payload.readAllBytes()).isEqualTo(bytes("abc"));
        assertThat(payload.read()).isEqualTo(-1);
        assertThat(reader.read()).isEqualTo(new Frame(MessageType.STDOUT, bytes("z")));
    }

    @Test
    void aPayloadStreamCutShortIsAnEofNamingTheFrame() throws Exception {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(unhex("0e 00000005 6162")), 64);
        InputStream payload = reader.payload(reader.readHeader());

        assertThatThrownBy(payload::readAllBytes).isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside the payload of a WRITE_FILE frame: expected 5 bytes, got 2");
    }

    @Test
    void aStreamedFrameGoesOutWithItsHeaderFirstAndDecodesWhole() throws Exception {
        byte[] content = random(100_000);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, 1024);

        writer.write(MessageType.FILE_RESULT, FileResultPayloads.fileResultWithContent(content.length), new ByteArrayInputStream(content));

        FrameHeader h = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), 1024).readHeader();
        assertThat(h.type()).isEqualTo(MessageType.FILE_RESULT);
        Frame frame = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), h.length()).read();
        assertThat(((Message.FileResult) Messages.decode(frame)).response().content()).isEqualTo(Bytes.of(content));
    }

    @Test
    void aStreamedFrameWhoseContentEndsEarlySpoilsTheWriter() throws Exception {
        FrameWriter writer = new FrameWriter(new ByteArrayOutputStream());

        assertThatThrownBy(() -> writer.write(MessageType.FILE_RESULT, FileResultPayloads.fileResultWithContent(10),
                new ByteArrayInputStream(new byte[3]))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> writer.write(Frame.empty(MessageType.READY)))
                .hasMessageContaining("an earlier write failed");
    }

    @Test
    void aStreamedFrameOverItsTypesLimitIsRefusedBeforeAnythingIsWritten() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, 1024);

        assertThatThrownBy(() -> writer.write(MessageType.STDOUT, FileResultPayloads.fileResultWithContent(2048),
                new ByteArrayInputStream(new byte[2048]))).isInstanceOf(FrameTooLongException.class);
        assertThat(wire.size()).isZero();
    }
}
