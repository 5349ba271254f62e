package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesAndNumbersParseAlike() {
        assertThat(Signals.parse("TERM")).isEqualTo(Signals.SIGTERM);
        assertThat(Signals.parse("sigint")).isEqualTo(Signals.SIGINT);
        assertThat(Signals.parse("SIGWINCH")).isEqualTo(28);
        assertThat(Signals.parse("9")).isEqualTo(Signals.SIGKILL);
        assertThat(Signals.parse("64")).isEqualTo(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65", "123456789012", "FOO", "", "-1"})
    void unknownSignalIsRejectedWithTheValue(String signal) {
        assertThatThrownBy(() -> Signals.parse(signal))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": " + signal);
    }

    @Test
    void nameFallsBackToTheNumber() {
        assertThat(Signals.name(Signals.SIGTERM)).isEqualTo("SIGTERM");
        assertThat(Signals.name(40)).isEqualTo("signal 40");
    }

    @Test
    void shellCodeIsTheExitCodeOr128PlusTheSignal() {
        assertThat(ExitStatus.exited(3).shellCode()).isEqualTo(3);
        assertThat(ExitStatus.signaled(Signals.SIGKILL).shellCode()).isEqualTo(137);
        assertThatThrownBy(() -> ExitStatus.exited(256)).hasMessageEndingWith(": 256");
        assertThatThrownBy(() -> ExitStatus.signaled(0)).hasMessageEndingWith(": 0");
    }
}
