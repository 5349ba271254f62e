package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Round trips and Go-equivalence on random input, without a property-testing library: each
 * property runs over a few hand-picked edge cases, then {@value #CASES} cases drawn from a
 * {@link SplittableRandom} with a fixed seed, so every run checks the same inputs. A failure names
 * the seed and the case index and shows the input, with strings as Java literals ready to paste
 * into a unit test. To explore new inputs, change a seed locally.
 */
class CodecPropertiesTest {

    /** Random cases per property, after the edge cases. */
    private static final int CASES = 200;
    /** The payload limit the frame round trip runs with; payloads are drawn up to exactly this size. */
    private static final int FRAME_LIMIT = 1024;

    // ---------------------------------------------------------------- frames

    /** A run of frames and the most bytes the stream hands over per read call. */
    record Wire(List<Frame> frames, int readSize) {
    }

    @Test
    void framesSurviveWriterThenReaderWhateverTheReadSizes() {
        List<Wire> edges = List.of(
                new Wire(List.of(), 1),
                new Wire(everyType(0), 1),
                new Wire(everyType(1), 64),
                new Wire(everyType(FRAME_LIMIT), 1),
                new Wire(everyType(FRAME_LIMIT), 64));

        forEachCase(0x5EED_F4A3E5L, edges, CodecPropertiesTest::wire, wire -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FrameWriter writer = new FrameWriter(out, FRAME_LIMIT);
            for (Frame frame : wire.frames()) {
                writer.write(frame);
            }

            FrameReader reader = new FrameReader(TestStreams.chunked(out.toByteArray(), wire.readSize()), FRAME_LIMIT);
            List<Frame> read = new ArrayList<>();
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                read.add(frame);
            }

            assertThat(read).isEqualTo(wire.frames());
        });
    }

    @Test
    void messagesSurviveEncodeWriteReadDecode() {
        ExecRequest allEmpty = new ExecRequest("", List.of(), "", Map.of(), Bytes.EMPTY, "");
        ExecRequest allNull = new ExecRequest("", null, null, null, null, null);
        List<Message> edges = List.of(
                new Message.Exec(allEmpty),
                new Message.ExecStream(allNull),
                new Message.ExecPipe(new ExecRequest("<>&\u2028", List.of(""), "\u0000", Map.of("", ""), Bytes.of(new byte[] {-1}), "\ud800")),
                new Message.ExecTty(ExecTtyRequest.of("", 0, 0)),
                new Message.ExecTty(new ExecTtyRequest("\u2029", List.of(), null, Map.of(), 65535, 65535, null)),
                new Message.ExecResult(ExecResponse.exited(Integer.MIN_VALUE)),
                new Message.ExecResult(new ExecResponse(Integer.MAX_VALUE, Bytes.EMPTY, null, "")),
                new Message.ExecResult(ExecResponse.failed("\u001f\"\\")),
                new Message.Stdout(new byte[0]),
                new Message.Stderr(new byte[0]),
                Message.Stdin.endOfInput(),
                new Message.Signal(1),
                new Message.Signal(64),
                new Message.Resize(new WindowSize(0, 0)),
                new Message.Resize(new WindowSize(65535, 65535)),
                new Message.Exit(-1),
                new Message.Exit(Integer.MIN_VALUE),
                new Message.Exit(Integer.MAX_VALUE),
                new Message.Ready(),
                new Message.PortForward(new PortForwardRequest(null, 0)),
                new Message.PortForward(new PortForwardRequest("::1", 65535)),
                new Message.WriteFile(new WriteFileRequest(null, null, 0)),
                new Message.WriteFile(new WriteFileRequest("/<&>", Bytes.of(new byte[] {0, -1}), GoFileMode.LARGEST)),
                new Message.ReadFile(new FileRequest(null)),
                new Message.ListFiles(new FileRequest("/ ")),
                new Message.FileResult(FileResponse.ok()),
                new Message.FileResult(new FileResponse(Bytes.of(new byte[] {1}), List.of(new FileInfo("", Long.MIN_VALUE, 0, false),
                        new FileInfo("d", Long.MAX_VALUE, GoFileMode.DIR | 0750, true)), "e")),
                new Message.CopyIn(new CopyInRequest(null, false, null)),
                new Message.CopyIn(new CopyInRequest("/srv/<www>/", true, "1000:1000")),
                new Message.CopyOut(new CopyOutRequest(null, false)),
                new Message.CopyOut(new CopyOutRequest("/var/log/.", true)),
                new Message.CopyData(new byte[0]),
                new Message.CopyData(new byte[] {0, -1}),
                new Message.CopyResult(new CopyResponse(0, 0, 0, null, null)),
                new Message.CopyResult(new CopyResponse(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, "w\u0000", "e")));
        assertThat(edges).extracting(Message::type).containsAll(List.of(MessageType.values()));

        forEachCase(0x5EED_3E55A6EL, edges, CodecPropertiesTest::message, message -> {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            new FrameWriter(wire).write(Messages.encode(message));

            Frame frame = new FrameReader(TestStreams.oneBytePerRead(wire.toByteArray()), 1 << 20).read();

            assertThat(frame.type()).isEqualTo(message.type());
            assertThat(Messages.decode(frame)).isEqualTo(message);
        });
    }

    // ---------------------------------------------------------------- JSON

    @Test
    void execRequestSurvivesJson() {
        List<ExecRequest> edges = List.of(
                ExecRequest.of(""),
                new ExecRequest("", List.of(), "", Map.of(), Bytes.EMPTY, ""),
                new ExecRequest("<>&", List.of("", "\u2028", "\ud83d\ude00"), "\u007f", Map.of("\udc00", "\u0000"),
                        Bytes.of(new byte[] {0, -1, 127, -128}), "\u2029"));

        forEachCase(0x5EED_E8EC0001L, edges, CodecPropertiesTest::execRequest,
                request -> assertThat(ExecPayloads.decodeExecRequest(ExecPayloads.encode(request))).isEqualTo(request));
    }

    @Test
    void execTtyRequestSurvivesJson() {
        List<ExecTtyRequest> edges = List.of(
                ExecTtyRequest.of("", 0, 0),
                ExecTtyRequest.of("", 65535, 65535),
                new ExecTtyRequest("\u2028", List.of(""), "", Map.of("", ""), 0, 65535, ""),
                new ExecTtyRequest("<>&", null, null, null, 65535, 0, null));

        forEachCase(0x5EED_E8EC7777L, edges, CodecPropertiesTest::execTtyRequest,
                request -> assertThat(ExecPayloads.decodeExecTtyRequest(ExecPayloads.encode(request))).isEqualTo(request));
    }

    @Test
    void execResponseSurvivesJson() {
        List<ExecResponse> edges = List.of(
                ExecResponse.exited(0),
                ExecResponse.exited(-1),
                ExecResponse.exited(Integer.MIN_VALUE),
                ExecResponse.exited(Integer.MAX_VALUE),
                new ExecResponse(0, Bytes.EMPTY, Bytes.EMPTY, ""),
                new ExecResponse(1, Bytes.of(new byte[] {0}), Bytes.of(new byte[] {-1, -1, -1}), "\u2028<>&\u0001"));

        forEachCase(0x5EED_E8EC2E5L, edges, CodecPropertiesTest::execResponse,
                response -> assertThat(ExecPayloads.decodeExecResponse(ExecPayloads.encode(response))).isEqualTo(response));
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        List<String> edges = List.of(
                "",
                "<>&",
                "\"\\/",
                "\b\f\n\r\t",
                controlCharacters(),
                "\u007f\u0080\u009f\u00a0",
                "\u2028\u2029",
                "\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800", "a\ud800b",
                "\ud83d\ude00\uffff\ufffd\ufeff",
                "\u00e9\u4e2d\uff21");

        forEachCase(0x5EED_E5CA9EL, edges, CodecPropertiesTest::text, text -> {
            byte[] expected = concat("{\"command\":".getBytes(UTF_8), GoJson.quote(text), "}".getBytes(UTF_8));

            assertThat(ExecPayloads.encode(ExecRequest.of(text))).isEqualTo(expected);
        });
    }

    @Test
    void envIsWrittenInUtf8ByteOrderOfKeys() {
        // An empty env is left out (tested elsewhere), and keys that differ only in unpaired
        // surrogates merge, so the generator draws neither.
        List<Map<String, String>> edges = List.of(
                Map.of("", ""),
                // UTF-16 order puts U+10000 (a surrogate pair) before U+E000 and U+FFFF; UTF-8 order does not.
                linkedMap("\ud800\udc00", "a", "\uffff", "b", "\ue000", "c", "z", "d", "Z", "e"),
                linkedMap("\ud800", "lone", "\u2028", "<>&", "\u0000", "\u001f"));

        forEachCase(0x5EED_E4B0L, edges, CodecPropertiesTest::envWithDistinctKeys, env -> {
            // Model Go: sort the keys' UTF-8 bytes (unpaired surrogates already replaced) unsigned,
            // then write each key and value escaped.
            TreeMap<byte[], String[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
            env.forEach((k, v) -> sorted.put(GoJson.utf8(k), new String[] {k, v}));
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

            assertThat(ExecPayloads.encode(request)).isEqualTo(expected.toByteArray());
        });
    }

    // ---------------------------------------------------------------- binary payloads

    @Test
    void windowSizeSurvivesResizePayload() {
        List<WindowSize> edges = List.of(
                new WindowSize(0, 0), new WindowSize(0, 65535), new WindowSize(65535, 0), new WindowSize(65535, 65535),
                new WindowSize(1, 1), new WindowSize(255, 256), new WindowSize(32767, 32768));

        forEachCase(0x5EED_512EL, edges, r -> new WindowSize(u16(r), u16(r)),
                size -> assertThat(BinaryPayloads.decodeWindowSize(BinaryPayloads.encode(size))).isEqualTo(size));
    }

    @Test
    void exitCodeSurvivesExitPayload() {
        List<Integer> edges = List.of(0, 1, -1, 255, 256, 137, Integer.MIN_VALUE, Integer.MAX_VALUE);

        forEachCase(0x5EED_E817L, edges, CodecPropertiesTest::anyInt,
                exitCode -> assertThat(BinaryPayloads.decodeExitCode(BinaryPayloads.encodeExitCode(exitCode))).isEqualTo(exitCode));
    }

    // ---------------------------------------------------------------- runner

    /** A check that may throw, as codec calls do. */
    @FunctionalInterface
    private interface Check<T> {
        void accept(T value) throws Exception;
    }

    /**
     * Runs {@code check} on each edge case, then on {@value #CASES} values drawn by {@code generator}
     * from one random stream seeded with {@code seed}. Stops at the first failure, rethrown with the
     * seed, the case index and the input.
     */
    private static <T> void forEachCase(
            long seed, List<? extends T> edgeCases, Function<SplittableRandom, ? extends T> generator, Check<? super T> check) {
        int index = 0;
        for (T edgeCase : edgeCases) {
            runCase(seed, index++, "edge case", edgeCase, check);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            runCase(seed, index++, "random case", generator.apply(random), check);
        }
    }

    private static <T> void runCase(long seed, int index, String kind, T value, Check<? super T> check) {
        try {
            check.accept(value);
        } catch (Throwable failure) {
            throw new AssertionError(String.format("seed 0x%X, case %d (%s) failed for input:%n  %s%n%s",
                    seed, index, kind, show(value), failure), failure);
        }
    }

    /**
     * The input, unlike the records' own toString, which hides payloads and environment values:
     * strings as Java literals with everything outside printable ASCII escaped, bytes as hex (the
     * middle of long arrays left out; the seed and index reproduce them).
     */
    private static String show(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> javaLiteral(s);
            case byte[] b when b.length > 96 -> "hex(" + b.length + ")\"" + HexFormat.of().formatHex(b, 0, 64) + "..."
                    + HexFormat.of().formatHex(b, b.length - 16, b.length) + "\"";
            case byte[] b -> "hex(" + b.length + ")\"" + HexFormat.of().formatHex(b) + "\"";
            case List<?> l -> l.stream().map(CodecPropertiesTest::show).collect(Collectors.joining(", ", "[", "]"));
            case Map<?, ?> m -> m.entrySet().stream()
                    .map(e -> show(e.getKey()) + "=" + show(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case Message.Data d -> d.getClass().getSimpleName() + "[" + show(d.data()) + "]";
            case Record r -> {
                StringBuilder b = new StringBuilder(r.getClass().getSimpleName()).append('[');
                RecordComponent[] components = r.getClass().getRecordComponents();
                for (int i = 0; i < components.length; i++) {
                    b.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
                    try {
                        components[i].getAccessor().setAccessible(true);
                        b.append(show(components[i].getAccessor().invoke(r)));
                    } catch (ReflectiveOperationException e) {
                        b.append("<").append(e).append(">");
                    }
                }
                yield b.append(']').toString();
            }
            default -> String.valueOf(value);
        };
    }

    private static String javaLiteral(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        b.append(c);
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---------------------------------------------------------------- generators
    //
    // Sizes and numbers lean towards their bounds (0, 1, the maximum; -1, MIN and MAX) a good
    // share of the time, as a property-testing library's edge cases would.

    /** Code points often picked out: escaping, surrogate and encoding-length boundaries. */
    private static final int[] SPECIAL_CODE_POINTS = {
        0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, '"', '\\', '/', '<', '>', '&', 0x7f, 0x80, 0x9f, 0xe9, 0x7ff,
        0x800, 0x2028, 0x2029, 0x4e2d, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xff21, 0xfffd, 0xffff,
        0x10000, 0x1f600, 0x10ffff,
    };

    /** A length from 0 to {@code max}, one time in four exactly 0, 1 or {@code max}. */
    private static int size(SplittableRandom r, int max) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> Math.min(1, max);
            case 2 -> max;
            default -> r.nextInt(max + 1);
        };
    }

    /** Strings of up to 12 code points, weighted towards the characters escaping cares about. */
    private static String text(SplittableRandom r) {
        int length = size(r, 12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int weight = r.nextInt(10);
            if (weight < 6) {
                b.appendCodePoint(r.nextInt(0x80)); // ASCII, control characters included
            } else if (weight < 8) {
                b.appendCodePoint(SPECIAL_CODE_POINTS[r.nextInt(SPECIAL_CODE_POINTS.length)]);
            } else {
                b.appendCodePoint(r.nextInt(0x80, 0x110000)); // lone surrogates included
            }
        }
        return b.toString();
    }

    private static List<String> args(SplittableRandom r) {
        int length = size(r, 4);
        List<String> args = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            args.add(text(r));
        }
        return args;
    }

    private static Map<String, String> env(SplittableRandom r) {
        int length = size(r, 5);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < length; i++) {
            env.put(text(r), text(r));
        }
        return env;
    }

    /** 1 to 5 entries whose keys stay distinct once unpaired surrogates become U+FFFD. */
    private static Map<String, String> envWithDistinctKeys(SplittableRandom r) {
        int length = 1 + size(r, 4);
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> utf8Keys = new HashSet<>();
        while (env.size() < length) {
            String key = text(r);
            if (utf8Keys.add(HexFormat.of().formatHex(GoJson.utf8(key)))) {
                env.put(key, text(r));
            }
        }
        return env;
    }

    private static byte[] bytes(SplittableRandom r, int maxSize) {
        byte[] bytes = new byte[size(r, maxSize)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = switch (r.nextInt(16)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Byte.MIN_VALUE;
                case 3 -> Byte.MAX_VALUE;
                default -> (byte) r.nextInt(256);
            };
        }
        return bytes;
    }

    /** Any int, often a boundary or a small number. */
    private static int anyInt(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> new int[] {0, 1, -1, 255, 256, Integer.MIN_VALUE, Integer.MAX_VALUE}[r.nextInt(7)];
            case 1, 2 -> r.nextInt(-300, 300);
            default -> r.nextInt();
        };
    }

    /** 0 to 65535, often a boundary. */
    private static int u16(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 65535;
            case 2 -> new int[] {1, 255, 256, 32767, 32768, 65534}[r.nextInt(6)];
            default -> r.nextInt(65536);
        };
    }

    /** {@code value}, or one time in ten null, for the fields a record turns from null into empty. */
    private static <T> T orNull(SplittableRandom r, T value) {
        return r.nextInt(10) == 0 ? null : value;
    }

    private static ExecRequest execRequest(SplittableRandom r) {
        return new ExecRequest(text(r), orNull(r, args(r)), orNull(r, text(r)), orNull(r, env(r)),
                orNull(r, Bytes.of(bytes(r, 64))), orNull(r, text(r)), orNull(r, args(r)));
    }

    private static ExecTtyRequest execTtyRequest(SplittableRandom r) {
        return new ExecTtyRequest(text(r), orNull(r, args(r)), orNull(r, text(r)), orNull(r, env(r)),
                u16(r), u16(r), orNull(r, text(r)), orNull(r, args(r)));
    }

    private static ExecResponse execResponse(SplittableRandom r) {
        return new ExecResponse(anyInt(r), orNull(r, Bytes.of(bytes(r, 64))), orNull(r, Bytes.of(bytes(r, 64))), orNull(r, text(r)));
    }

    private static Frame frame(SplittableRandom r) {
        MessageType[] types = MessageType.values();
        return new Frame(types[r.nextInt(types.length)], bytes(r, FRAME_LIMIT));
    }

    private static Wire wire(SplittableRandom r) {
        int length = size(r, 8);
        List<Frame> frames = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            frames.add(frame(r));
        }
        return new Wire(frames, 1 + size(r, 63));
    }

    /** A message of any type; the switch fails to compile if a type is added without a generator. */
    private static Message message(SplittableRandom r) {
        MessageType[] types = MessageType.values();
        return switch (types[r.nextInt(types.length)]) {
            case EXEC -> new Message.Exec(execRequest(r));
            case EXEC_STREAM -> new Message.ExecStream(execRequest(r));
            case EXEC_PIPE -> new Message.ExecPipe(execRequest(r));
            case EXEC_TTY -> new Message.ExecTty(execTtyRequest(r));
            case EXEC_RESULT -> new Message.ExecResult(execResponse(r));
            case STDOUT -> new Message.Stdout(bytes(r, 100));
            case STDERR -> new Message.Stderr(bytes(r, 100));
            case STDIN -> new Message.Stdin(bytes(r, 100));
            case SIGNAL -> new Message.Signal(1 + size(r, 63));
            case RESIZE -> new Message.Resize(new WindowSize(u16(r), u16(r)));
            case EXIT -> new Message.Exit(anyInt(r));
            case READY -> new Message.Ready();
            case PORT_FORWARD -> new Message.PortForward(new PortForwardRequest(orNull(r, text(r)), u16(r)));
            case WRITE_FILE -> new Message.WriteFile(new WriteFileRequest(orNull(r, text(r)), orNull(r, Bytes.of(bytes(r, 64))),
                    u32(r)));
            case READ_FILE -> new Message.ReadFile(new FileRequest(orNull(r, text(r))));
            case LIST_FILES -> new Message.ListFiles(new FileRequest(orNull(r, text(r))));
            case FILE_RESULT -> new Message.FileResult(fileResponse(r));
            case COPY_IN -> new Message.CopyIn(new CopyInRequest(orNull(r, text(r)), r.nextBoolean(), orNull(r, text(r))));
            case COPY_OUT -> new Message.CopyOut(new CopyOutRequest(orNull(r, text(r)), r.nextBoolean()));
            case COPY_DATA -> new Message.CopyData(bytes(r, 100));
            case COPY_RESULT -> new Message.CopyResult(new CopyResponse(r.nextLong(Long.MAX_VALUE),
                    r.nextLong(Long.MAX_VALUE), r.nextLong(Long.MAX_VALUE), orNull(r, text(r)), orNull(r, text(r))));
        };
    }

    private static FileResponse fileResponse(SplittableRandom r) {
        List<FileInfo> files = new ArrayList<>();
        for (int i = size(r, 4); i > 0; i--) {
            files.add(new FileInfo(text(r), r.nextLong(), u32(r), r.nextBoolean()));
        }
        return new FileResponse(orNull(r, Bytes.of(bytes(r, 64))), orNull(r, files), orNull(r, text(r)));
    }

    /** 0 to 4294967295, often a boundary or a Go file mode. */
    private static long u32(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> GoFileMode.LARGEST;
            case 2 -> GoFileMode.DIR | 0750;
            default -> r.nextLong(GoFileMode.LARGEST + 1);
        };
    }

    // ---------------------------------------------------------------- helpers

    /** One frame of every type, each with a payload of {@code size} bytes. */
    private static List<Frame> everyType(int size) {
        List<Frame> frames = new ArrayList<>();
        for (MessageType type : MessageType.values()) {
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) type.code());
            frames.add(new Frame(type, payload));
        }
        return frames;
    }

    /** Every character below U+0020. */
    private static String controlCharacters() {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            b.append(c);
        }
        return b.toString();
    }

    /** A map keeping the order of its {@code key, value, ...} arguments. */
    private static Map<String, String> linkedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
