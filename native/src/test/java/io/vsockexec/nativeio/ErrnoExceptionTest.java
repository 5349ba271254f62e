package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrnoExceptionTest {
    @Test
    void checkReturnsANonNegativeResult() throws ErrnoException {
        assertThat(ErrnoException.check(0, "listen", "/run/vm.sock")).isZero();
        assertThat(ErrnoException.check(7, "socket", "/run/vm.sock")).isEqualTo(7);
    }

    @Test
    void checkTurnsMinusErrnoIntoTheExceptionNamingOperationAndTarget() {
        assertThatThrownBy(() -> ErrnoException.check(-Errno.ENOENT, "bind", "/run/vm.sock"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.operation()).isEqualTo("bind");
                    assertThat(e.target()).isEqualTo("/run/vm.sock");
                })
                .hasMessage("bind /run/vm.sock: ENOENT (No such file or directory)");
    }

    @Test
    void goTextIsTheDescriptionAsGoPrintsIt() {
        assertThat(ErrnoException.goText(Errno.ECONNREFUSED)).isEqualTo("connection refused");
        assertThat(ErrnoException.goText(Errno.ENOENT)).isEqualTo("no such file or directory");
        assertThat(ErrnoException.goText(4000)).isEqualTo("errno 4000");
    }
}
