package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void formatsDurationsTheWayPeopleWriteThem() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(null)).isEqualTo("none");
    }

    @Test
    void writesFractionsOfASecondWithoutTrailingZeros() {
        assertThat(Durations.format(Duration.ofMillis(1001))).isEqualTo("1.001s");
        assertThat(Durations.format(Duration.ofMillis(1050))).isEqualTo("1.05s");
        assertThat(Durations.format(Duration.ofMillis(2250))).isEqualTo("2.25s");
        assertThat(Durations.format(Duration.ofMillis(5000))).isEqualTo("5s");
        assertThat(Durations.format(Duration.ofMillis(59_999))).isEqualTo("59.999s");
        assertThat(Durations.format(Duration.ofMillis(61_500))).isEqualTo("61.5s");
        assertThat(Durations.format(Duration.ofNanos(1_234_567_890))).isEqualTo("1.234s");
    }
}
