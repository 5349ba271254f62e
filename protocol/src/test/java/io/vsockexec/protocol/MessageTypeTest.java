package io.vsockexec.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTypeTest {

    @Test
    void codesAreThoseOfTheGoReference() {
        Map<MessageType, Integer> go = new LinkedHashMap<>();
        go.put(MessageType.EXEC, 1);
        go.put(MessageType.EXEC_RESULT, 2);
        go.put(MessageType.STDOUT, 3);
        go.put(MessageType.STDERR, 4);
        go.put(MessageType.SIGNAL, 5);
        go.put(MessageType.READY, 6);
        go.put(MessageType.STDIN, 7);
        go.put(MessageType.RESIZE, 8);
        go.put(MessageType.EXEC_TTY, 9);
        go.put(MessageType.EXIT, 10);
        go.put(MessageType.EXEC_STREAM, 11);
        go.put(MessageType.EXEC_PIPE, 12);
        go.put(MessageType.PORT_FORWARD, 13);
        go.put(MessageType.WRITE_FILE, 14);
        go.put(MessageType.READ_FILE, 15);
        go.put(MessageType.LIST_FILES, 16);
        go.put(MessageType.FILE_RESULT, 17);

        go.forEach((type, code) -> assertThat(type.code()).as(type.name()).isEqualTo(code));
    }

    @Test
    void everyOtherTypeIsAnExtensionInTheRangeTheGoReferenceLeavesAlone() {
        Map<MessageType, Integer> ours = new LinkedHashMap<>();
        ours.put(MessageType.COPY_IN, 128);
        ours.put(MessageType.COPY_OUT, 129);
        ours.put(MessageType.COPY_DATA, 130);
        ours.put(MessageType.COPY_RESULT, 131);

        ours.forEach((type, code) -> assertThat(type.code()).as(type.name()).isEqualTo(code));
        assertThat(Arrays.stream(MessageType.values()).filter(t -> t.code() > 17))
                .containsExactlyInAnyOrderElementsOf(ours.keySet());
    }

    @Test
    void ofFindsEveryTypeByItsCode() throws Exception {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageType.of(type.code())).isSameAs(type);
        }
        assertThat(Arrays.stream(MessageType.values()).mapToInt(MessageType::code).distinct().count())
                .isEqualTo(MessageType.values().length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 18, 127, 132, 255, -1, 256})
    void ofRejectsUnknownCodeNamingIt(int code) {
        assertThatThrownBy(() -> MessageType.of(code))
                .isInstanceOf(UnknownMessageTypeException.class)
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown message type " + code)
                .extracting(e -> ((UnknownMessageTypeException) e).code()).isEqualTo(code);
    }
}
