package io.vsockexec.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecResultTest {
    private static ExecResult result(int exitCode, String out, String err, long millis) {
        return new ExecResult(exitCode, out.getBytes(UTF_8), err.getBytes(UTF_8), Duration.ofMillis(millis));
    }

    @Test
    void resultsWithTheSameOutputAreEqualWithTheSameHash() {
        assertThat(result(0, "out", "err", 5)).isEqualTo(result(0, "out", "err", 5))
                .hasSameHashCodeAs(result(0, "out", "err", 5));
    }

    @Test
    void resultsThatDifferInAnyComponentAreNotEqual() {
        ExecResult a = result(0, "out", "err", 5);

        assertThat(a).isNotEqualTo(result(1, "out", "err", 5))
                .isNotEqualTo(result(0, "OUT", "err", 5))
                .isNotEqualTo(result(0, "out", "ERR", 5))
                .isNotEqualTo(result(0, "out", "err", 6))
                .isNotEqualTo("out");
    }

    @Test
    void toStringGivesTheOutputsLengthNotTheirContent() {
        assertThat(result(0, "secret", "", 5).toString()).contains("stdout=6 bytes").doesNotContain("secret");
    }
}
