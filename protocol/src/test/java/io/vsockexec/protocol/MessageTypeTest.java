package io.vsockexec.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTypeTest {

    @ParameterizedTest
    @CsvSource({"EXEC, 1", "EXEC_RESULT, 2", "STDOUT, 3", "STDERR, 4", "SIGNAL, 5", "READY, 6", "STDIN, 7",
            "RESIZE, 8", "EXEC_TTY, 9", "EXIT, 10", "EXEC_STREAM, 11", "EXEC_PIPE, 12", "PORT_FORWARD, 13",
            "WRITE_FILE, 14", "READ_FILE, 15", "LIST_FILES, 16", "FILE_RESULT, 17"})
    void codesAreThoseOfTheGoReference(MessageType type, int code) {
        assertThat(type.code()).isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource({"COPY_IN, 128", "COPY_OUT, 129", "COPY_DATA, 130", "COPY_RESULT, 131"})
    void extensionsHaveCodesInTheRangeTheGoReferenceLeavesAlone(MessageType type, int code) {
        assertThat(type.code()).isEqualTo(code);
    }

    @Test
    void everyTypeIsTheGoReferencesOrAnExtension() {
        assertThat(Arrays.stream(MessageType.values()).filter(t -> t.code() > 17))
                .containsExactlyInAnyOrder(MessageType.COPY_IN, MessageType.COPY_OUT, MessageType.COPY_DATA,
                        MessageType.COPY_RESULT);
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
