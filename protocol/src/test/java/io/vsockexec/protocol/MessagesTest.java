package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.hex;
import static io.vsockexec.protocol.TestStreams.unhex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden frames, header as hex, for every message type. */
class MessagesTest {

    private static String ascii(String s) {
        return hex(s.getBytes(UTF_8));
    }

    static Stream<Arguments> goldenFrames() {
        return Stream.of(
                Arguments.of(new Message.Exec(ExecRequest.of("ls")),
                        "01 00000010 " + ascii("{\"command\":\"ls\"}")),
                Arguments.of(new Message.ExecStream(ExecRequest.of("ls")),
                        "0b 00000010 " + ascii("{\"command\":\"ls\"}")),
                Arguments.of(new Message.ExecPipe(new ExecRequest("cat", null, null, null, Bytes.utf8("hi\n"), null)),
                        "0c 00000020 " + ascii("{\"command\":\"cat\",\"stdin\":\"aGkK\"}")),
                Arguments.of(new Message.ExecTty(ExecTtyRequest.of("bash", 24, 80)),
                        "09 00000026 " + ascii("{\"command\":\"bash\",\"rows\":24,\"cols\":80}")),
                Arguments.of(new Message.ExecResult(ExecResponse.exited(0)),
                        "02 0000000f " + ascii("{\"exit_code\":0}")),
                Arguments.of(new Message.ExecResult(new ExecResponse(2, Bytes.utf8("out\n"), Bytes.utf8("err"), null)),
                        "02 00000033 " + ascii("{\"exit_code\":2,\"stdout\":\"b3V0Cg==\",\"stderr\":\"ZXJy\"}")),
                Arguments.of(new Message.Stdout("hi".getBytes(UTF_8)), "03 00000002 6869"),
                Arguments.of(new Message.Stderr("err".getBytes(UTF_8)), "04 00000003 657272"),
                Arguments.of(new Message.Signal(15), "05 00000001 0f"),
                Arguments.of(new Message.Signal(64), "05 00000001 40"),
                Arguments.of(new Message.Ready(), "06 00000000"),
                Arguments.of(new Message.Stdin("x".getBytes(UTF_8)), "07 00000001 78"),
                Arguments.of(Message.Stdin.endOfInput(), "07 00000000"),
                Arguments.of(new Message.Resize(new WindowSize(24, 80)), "08 00000004 0018 0050"),
                Arguments.of(new Message.Resize(new WindowSize(65535, 0)), "08 00000004 ffff 0000"),
                Arguments.of(new Message.Exit(0), "0a 00000004 00000000"),
                Arguments.of(new Message.Exit(137), "0a 00000004 00000089"),
                Arguments.of(new Message.Exit(-1), "0a 00000004 ffffffff"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goldenFrames")
    void encodesToGoldenBytes(Message message, String golden) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();

        new FrameWriter(wire).write(Messages.encode(message));

        assertThat(hex(wire.toByteArray())).isEqualTo(golden.replace(" ", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goldenFrames")
    void decodesFromGoldenBytes(Message message, String golden) throws Exception {
        Frame frame = new FrameReader(new ByteArrayInputStream(unhex(golden)), FrameDescriptor.DEFAULT_MAX_PAYLOAD).read();

        assertThat(Messages.decode(frame)).isEqualTo(message);
    }

    @Test
    void decodesGoAgentExitOfKilledProcessAsMinusOne() throws Exception {
        assertThat(Messages.decode(new Frame(MessageType.EXIT, unhex("ffffffff")))).isEqualTo(new Message.Exit(-1));
    }

    @Test
    void emptyStdinMeansEndOfInput() throws Exception {
        Message message = Messages.decode(Frame.empty(MessageType.STDIN));

        assertThat(message).isInstanceOf(Message.Stdin.class);
        assertThat(((Message.Stdin) message).isEndOfInput()).isTrue();
        assertThat(new Message.Stdin(new byte[1]).isEndOfInput()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0f0f"})
    void rejectsSignalPayloadOfWrongLength(String payload) {
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.SIGNAL, unhex(payload))))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid Signal payload: must be 1 bytes, got " + payload.length() / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "41", "ff"})
    void rejectsSignalNumberOutsideOneToSixtyFour(String payload) {
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.SIGNAL, unhex(payload))))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid Signal payload: signal number must be between 1 and 64, got "
                        + Integer.parseInt(payload, 16));
    }

    @Test
    void signalMessageRejectsNumberOutsideOneToSixtyFour() {
        assertThatThrownBy(() -> new Message.Signal(0)).hasMessage("signal number must be between 1 and 64, got 0");
        assertThatThrownBy(() -> new Message.Signal(65)).hasMessage("signal number must be between 1 and 64, got 65");
    }

    @ParameterizedTest
    @ValueSource(strings = {"001800", "0018005000"})
    void rejectsResizePayloadOfWrongLength(String payload) {
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.RESIZE, unhex(payload))))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid Resize payload: must be 4 bytes, got " + payload.length() / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "000000", "0000000000"})
    void rejectsExitPayloadOfWrongLength(String payload) {
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.EXIT, unhex(payload))))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid Exit payload: must be 4 bytes, got " + payload.length() / 2);
    }

    @Test
    void rejectsNonEmptyReady() {
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.READY, unhex("01"))))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid Ready payload: must be empty, got 1 bytes");
    }

    @Test
    void rejectsBadJsonInAnyRequestType() {
        for (MessageType type : new MessageType[] {MessageType.EXEC, MessageType.EXEC_STREAM, MessageType.EXEC_PIPE}) {
            assertThatThrownBy(() -> Messages.decode(new Frame(type, "{".getBytes(UTF_8))))
                    .as(type.name())
                    .isInstanceOf(CorruptFrameException.class)
                    .hasMessageStartingWith("invalid ExecRequest payload: not valid JSON");
        }
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.EXEC_TTY, "[]".getBytes(UTF_8))))
                .hasMessageStartingWith("invalid ExecTtyRequest payload");
        assertThatThrownBy(() -> Messages.decode(new Frame(MessageType.EXEC_RESULT, "5".getBytes(UTF_8))))
                .hasMessageStartingWith("invalid ExecResponse payload");
    }

    @Test
    void byteMessagesCopyTheirDataAndHideItInToString() {
        byte[] data = "secret".getBytes(UTF_8);
        Message.Stdout stdout = new Message.Stdout(data);
        data[0] = 'X';
        stdout.data()[1] = 'Y';

        assertThat(stdout.data()).isEqualTo("secret".getBytes(UTF_8));
        assertThat(stdout).isEqualTo(new Message.Stdout("secret".getBytes(UTF_8)))
                .hasSameHashCodeAs(new Message.Stdout("secret".getBytes(UTF_8)))
                .hasToString("Stdout[6 bytes]");
        assertThat(new Message.Stderr(new byte[2])).hasToString("Stderr[2 bytes]");
        assertThat(new Message.Stdin(new byte[3])).hasToString("Stdin[3 bytes]");
    }

    @Test
    void theSameBytesOnTwoStreamsAreTwoDifferentMessages() {
        byte[] data = "same".getBytes(UTF_8);

        assertThat(new Message.Stdout(data)).isNotEqualTo(new Message.Stderr(data))
                .isNotEqualTo(new Message.Stdin(data))
                .doesNotHaveSameHashCodeAs(new Message.Stderr(data));
        assertThat(new Message.Stdin(data).length()).isEqualTo(4);
    }
}
