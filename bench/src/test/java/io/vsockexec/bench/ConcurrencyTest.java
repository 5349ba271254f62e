package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    @Test
    void theExpectedOutputIsWhatSeqPrints() throws Exception {
        Process seq = new ProcessBuilder("seq", "1", "1234").redirectErrorStream(true).start();
        byte[] printed = seq.getInputStream().readAllBytes();
        seq.waitFor();

        assertThat(Concurrency.expected(1234)).isEqualTo(printed);
        assertThat(new String(Concurrency.expected(3), StandardCharsets.US_ASCII)).isEqualTo("1\n2\n3\n");
    }

    @Test
    void theAgentGetsRoomForEverySessionAtOnce() {
        assertThat(Concurrency.maxSessions(BenchSizes.full())).isGreaterThan(BenchSizes.full().sessions());
    }
}
