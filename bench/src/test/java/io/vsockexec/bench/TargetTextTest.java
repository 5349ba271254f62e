package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each row's target as the table shows it, measured or failed: built from the limits the verdicts use. */
class TargetTextTest {
    @Test
    void everyTargetNamesItsLimits() {
        assertThat(ExecLatency.TARGET_TEXT).isEqualTo("p50 ratio <= 1.25");
        assertThat(Throughput.TARGET_TEXT).isEqualTo(">= 0.85");
        assertThat(Concurrency.TARGET_TEXT).isEqualTo("every output exact; peak RSS <= 256 MiB");
        assertThat(ColdStart.READY_TARGET_TEXT).isEqualTo("ratio <= 2.5; idle RSS <= 48 MiB");
        assertThat(ColdStart.FIRST_EXEC_TARGET_TEXT).isEqualTo("ratio <= 4.0");
        assertThat(CliStart.TARGET_TEXT).isEqualTo("exec ratio <= 2.0; --version ratio <= 1.5");
        assertThat(CodecCost.TARGET_TEXT).isEqualTo("report ns/frame and bytes allocated/frame");
    }
}
