package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    /**
     * Each row: a duration in ISO-8601 ({@link Duration#parse}) and how people write it: in the
     * largest unit that keeps it whole, or in seconds to the millisecond without trailing zeros.
     */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            PT0.85S,        850ms
            PT10S,          10s
            PT90S,          90s
            PT2M,           2m
            PT1H,           1h
            PT1.5S,         1.5s
            PT1.001S,       1.001s
            PT1.05S,        1.05s
            PT2.25S,        2.25s
            PT5S,           5s
            PT59.999S,      59.999s
            PT61.5S,        61.5s
            PT1.23456789S,  1.234s
            """)
    void formatsDurationsTheWayPeopleWriteThem(Duration duration, String written) {
        assertThat(Durations.format(duration)).isEqualTo(written);
    }

    @Test
    void writesNoDurationAsNone() {
        assertThat(Durations.format(null)).isEqualTo("none");
    }
}
