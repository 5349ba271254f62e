package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FiguresTest {
    @Test
    void percentilesAreNearestRankOfTheUnsortedSamples() {
        long[] samples = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};

        assertThat(Figures.median(samples)).isEqualTo(50);
        assertThat(Figures.percentile(samples, 99)).isEqualTo(100);
        assertThat(Figures.percentile(samples, 10)).isEqualTo(10);
        assertThat(Figures.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Figures.percentile(samples, 100)).as("the 100th is the largest").isEqualTo(100);
        assertThat(Figures.percentile(new long[] {3, -5, 3, 2}, 100)).isEqualTo(3);
        assertThat(Figures.percentile(new long[] {-7}, 100)).isEqualTo(-7);
        assertThat(samples[0]).as("the samples are left as they were").isEqualTo(50);
    }

    @Test
    void percentilesOfNothingOrOutOfRangeAreRejected() {
        assertThatThrownBy(() -> Figures.median(new long[0])).hasMessageContaining("no samples");
        assertThatThrownBy(() -> Figures.percentile(new long[] {1}, 0)).hasMessageContaining("0");
        assertThatThrownBy(() -> Figures.percentile(new long[] {1}, 101)).hasMessageContaining("101");
    }

    @Test
    void durationsAreWrittenInTheirNaturalUnit() {
        assertThat(Figures.duration(850)).isEqualTo("850 ns");
        assertThat(Figures.duration(850_000)).isEqualTo("850.0 us");
        assertThat(Figures.duration(1_210_000)).isEqualTo("1.21 ms");
        assertThat(Figures.duration(2_300_000_000L)).isEqualTo("2.30 s");
        assertThat(Figures.millis(183_400_000)).isEqualTo("183 ms");
    }

    @Test
    void sizesAndRatesAreWrittenInBinaryUnits() {
        assertThat(Figures.size(16)).isEqualTo("16 B");
        assertThat(Figures.size(64 * 1024)).isEqualTo("64 KiB");
        assertThat(Figures.size(256L * 1024 * 1024)).isEqualTo("256 MiB");
        assertThat(Figures.size(1024L * 1024 * 1024)).isEqualTo("1 GiB");
        assertThat(Figures.size(1000)).isEqualTo("1000 B");
        assertThat(Figures.throughput(1.5 * 1024 * 1024 * 1024)).isEqualTo("1.50 GiB/s");
        assertThat(Figures.throughput(850.0 * 1024 * 1024)).isEqualTo("850.0 MiB/s");
        assertThat(Figures.kibAsMib(48 * 1024 + 512)).isEqualTo("48.5 MiB");
        assertThat(Figures.ratio(1.234)).isEqualTo("1.23");
    }
}
