package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSizesTest {
    @Test
    void theFullRunHasTheIssuesSizes() {
        BenchSizes full = BenchSizes.full();

        assertThat(full.execs()).isEqualTo(1000);
        assertThat(full.streamBytes()).isEqualTo(1L << 30);
        assertThat(full.sessions()).isEqualTo(1000);
        assertThat(full.seqCount()).isEqualTo(10_000);
        assertThat(full.coldStarts()).isEqualTo(10);
        assertThat(full.cliStarts()).isEqualTo(20);
        assertThat(BenchSizes.quick().coldStarts()).isEqualTo(5);
        assertThat(BenchSizes.quick().cliStarts()).isEqualTo(10);
        assertThat(BenchSizes.quick().streamBytes()).isLessThan(full.streamBytes());
        // Row 9 boots a guest: the full run only.
        assertThat(full.vm()).isTrue();
        assertThat(BenchSizes.quick().vm()).isFalse();
        assertThat(BenchSizes.tiny().vm()).isFalse();
    }

    @Test
    void aNonPositiveSizeIsRejectedNamingIt() {
        assertThatThrownBy(() -> new BenchSizes(1, 0, 1, 1, 1, 1, 1, 1, Duration.ofSeconds(1), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("execs").hasMessageContaining("0");
        assertThatThrownBy(() -> new BenchSizes(1, 1, -5, 1, 1, 1, 1, 1, Duration.ofSeconds(1), false))
                .hasMessageContaining("streamBytes").hasMessageContaining("-5");
        assertThatThrownBy(() -> new BenchSizes(1, 1, 1, 1, 1, 1, 1, 0, Duration.ofSeconds(1), false))
                .hasMessageContaining("cliStarts");
        assertThatThrownBy(() -> new BenchSizes(1, 1, 1, 1, 1, 1, 1, 1, Duration.ZERO, false))
                .hasMessageContaining("idleAfter");
    }
}
