package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.MessageType;
import org.junit.jupiter.api.Test;

class RequestHandlersTest {
    @Test
    void eachRequestTypeByteFindsItsExecMode() {
        RequestHandlers handlers = RequestHandlers.standard();

        assertThat(handlers.forCode(MessageType.EXEC.code())).isSameAs(ExecHandler.BUFFERED);
        assertThat(handlers.forCode(MessageType.EXEC_STREAM.code())).isSameAs(ExecHandler.STREAMED);
        assertThat(handlers.forCode(MessageType.EXEC_PIPE.code())).isSameAs(ExecHandler.PIPED);
        assertThat(handlers.forCode(MessageType.EXEC_TTY.code())).isSameAs(ExecHandler.TERMINAL);
    }

    @Test
    void aTypeByteThatIsNoRequestHasNoHandler() {
        RequestHandlers handlers = RequestHandlers.standard();

        assertThat(handlers.forCode(MessageType.STDIN.code())).isNull();
        assertThat(handlers.forCode(200)).isNull();
    }

    @Test
    void theErrorMessageNamesTheRequestsInTheOrderTheyWereRegistered() {
        assertThat(RequestHandlers.standard().names()).isEqualTo(
                "Exec, ExecStream, ExecPipe, ExecTTY, PortForward, WriteFile, ReadFile, ListFiles, CopyIn or CopyOut");
        assertThat(RequestHandlers.of(ExecHandler.TERMINAL).names()).isEqualTo("ExecTTY");
    }

    @Test
    void twoHandlersForOneTypeAreRejected() {
        assertThatThrownBy(() -> RequestHandlers.of(ExecHandler.PIPED, ExecHandler.PIPED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EXEC_PIPE");
    }
}
