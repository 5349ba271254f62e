package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** Round trips and Go-equivalence on random input. Tries per property: see junit-platform.properties. */
class CodecPropertiesTest {

    // ---------------------------------------------------------------- frames

    @Property
    void framesSurviveWriterThenReaderWhateverTheReadSizes(
            @ForAll("frames") List<Frame> frames, @ForAll @IntRange(min = 1, max = 64) int readSize) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, 1024);
        for (Frame frame : frames) {
            writer.write(frame);
        }

        FrameReader reader = new FrameReader(TestStreams.chunked(wire.toByteArray(), readSize), 1024);
        List<Frame> read = new ArrayList<>();
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            read.add(frame);
        }

        assertThat(read).isEqualTo(frames);
    }

    @Property
    void messagesSurviveEncodeWriteReadDecode(@ForAll("messages") Message message) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new FrameWriter(wire).write(Messages.encode(message));

        Frame frame = new FrameReader(TestStreams.oneBytePerRead(wire.toByteArray()), 1 << 20).read();

        assertThat(frame.type()).isEqualTo(message.type());
        assertThat(Messages.decode(frame)).isEqualTo(message);
    }

    // ---------------------------------------------------------------- JSON

    @Property
    void execRequestSurvivesJson(@ForAll("execRequests") ExecRequest request) throws Exception {
        assertThat(Payloads.decodeExecRequest(Payloads.encode(request))).isEqualTo(request);
    }

    @Property
    void execTtyRequestSurvivesJson(@ForAll("execTtyRequests") ExecTtyRequest request) throws Exception {
        assertThat(Payloads.decodeExecTtyRequest(Payloads.encode(request))).isEqualTo(request);
    }

    @Property
    void execResponseSurvivesJson(@ForAll("execResponses") ExecResponse response) throws Exception {
        assertThat(Payloads.decodeExecResponse(Payloads.encode(response))).isEqualTo(response);
    }

    @Property
    void stringsAreEscapedAsGoEscapesThem(@ForAll("text") String text) {
        byte[] expected = concat("{\"command\":".getBytes(UTF_8), GoJson.quote(text), "}".getBytes(UTF_8));

        assertThat(Payloads.encode(ExecRequest.of(text))).isEqualTo(expected);
    }

    @Property
    void envIsWrittenInUtf8ByteOrderOfKeys(@ForAll("envs") Map<String, String> env) {
        // Model Go: sort the keys' UTF-8 bytes (unpaired surrogates already replaced) unsigned,
        // then write each key and value escaped.
        TreeMap<byte[], String[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
        env.forEach((k, v) -> sorted.put(GoJson.utf8(k), new String[] {k, v}));
        Assume.that(!env.isEmpty()); // an empty env is left out, as tested elsewhere
        Assume.that(sorted.size() == env.size()); // keys that differ only in unpaired surrogates merge
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("{\"command\":\"\",\"env\":{".getBytes(UTF_8));
        String separator = "";
        for (String[] entry : sorted.values()) {
            expected.writeBytes(separator.getBytes(UTF_8));
            expected.writeBytes(GoJson.quote(entry[0]));
            expected.write(':');
            expected.writeBytes(GoJson.quote(entry[1]));
            separator = ",";
        }
        expected.writeBytes("}}".getBytes(UTF_8));

        ExecRequest request = new ExecRequest("", null, null, env, null, null);

        assertThat(Payloads.encode(request)).isEqualTo(expected.toByteArray());
    }

    // ---------------------------------------------------------------- binary payloads

    @Property
    void windowSizeSurvivesResizePayload(@ForAll @IntRange(max = 65535) int rows, @ForAll @IntRange(max = 65535) int cols)
            throws Exception {
        WindowSize size = new WindowSize(rows, cols);

        assertThat(Payloads.decodeWindowSize(Payloads.encode(size))).isEqualTo(size);
    }

    @Property
    void exitCodeSurvivesExitPayload(@ForAll int exitCode) throws Exception {
        assertThat(Payloads.decodeExitCode(Payloads.encodeExitCode(exitCode))).isEqualTo(exitCode);
    }

    // ---------------------------------------------------------------- generators

    /** Strings built from code points, weighted towards the characters escaping cares about. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 0x7f)),
                Tuple.of(2, Arbitraries.of(0x2028, 0x2029, 0xfffd, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x1f600, 0xe9, 0x4e2d, 0xff21)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x10ffff)));
        return codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    @Provide
    Arbitrary<Map<String, String>> envs() {
        return Arbitraries.maps(text(), text()).ofMaxSize(5).map(LinkedHashMap::new);
    }

    private Arbitrary<List<String>> args() {
        return text().list().ofMaxSize(4);
    }

    private static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    @Provide
    Arbitrary<ExecRequest> execRequests() {
        return Combinators.combine(text(), args(), text(), envs(), bytes(64), text()).as(ExecRequest::new);
    }

    @Provide
    Arbitrary<ExecTtyRequest> execTtyRequests() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 65535);
        return Combinators.combine(text(), args(), text(), envs(), u16, u16, text()).as(ExecTtyRequest::new);
    }

    @Provide
    Arbitrary<ExecResponse> execResponses() {
        return Combinators.combine(Arbitraries.integers(), bytes(64), bytes(64), text()).as(ExecResponse::new);
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<Frame> frame = Combinators.combine(Arbitraries.of(MessageType.class), bytes(300)).as(Frame::new);
        return frame.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<Message> messages() {
        return Arbitraries.oneOf(
                execRequests().map(Message.Exec::new),
                execRequests().map(Message.ExecStream::new),
                execRequests().map(Message.ExecPipe::new),
                execTtyRequests().map(Message.ExecTty::new),
                execResponses().map(Message.ExecResult::new),
                bytes(100).map(Message.Stdout::new),
                bytes(100).map(Message.Stderr::new),
                bytes(100).map(Message.Stdin::new),
                Arbitraries.integers().between(1, 64).map(Message.Signal::new),
                Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
                        .as((r, c) -> new Message.Resize(new WindowSize(r, c))),
                Arbitraries.integers().map(Message.Exit::new),
                Arbitraries.just(new Message.Ready()));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
