package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    @Test
    void durationsInEveryUnit() {
        assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Values.duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Values.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Values.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Values.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Values.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Values.duration("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "-1s", "5 parsecs", "1e3s", "PT-1S", "1.s", ".5s", "99999999999999h"})
    void malformedDurationsAreRefusedQuotingThem(String text) {
        assertThatThrownBy(() -> Values.duration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void aTimeLimitMustBeMoreThanZero() {
        assertThat(Values.positiveDuration("1ms")).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> Values.positiveDuration("0s")).hasMessageContaining("'0s' is no time at all");
    }

    @Test
    void byteSizesInBinaryUnits() {
        assertThat(Values.byteSize("65536")).isEqualTo(65536);
        assertThat(Values.byteSize("64KiB")).isEqualTo(64 << 10);
        assertThat(Values.byteSize("16MiB")).isEqualTo(16 << 20);
        assertThat(Values.byteSize("16m")).isEqualTo(16 << 20);
        assertThat(Values.byteSize("1GiB")).isEqualTo(1 << 30);
        assertThat(Values.byteSize("1 GiB")).isEqualTo(1 << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "huge", "2GiB", "-1", "1TiB", "12345678901", "KiB"})
    void malformedOrTooLargeSizesAreRefusedQuotingThem(String text) {
        assertThatThrownBy(() -> Values.byteSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void largeSizesHaveBoundsBothWays() {
        assertThat(Values.bytes("16G", 256 << 20, Long.MAX_VALUE, "x")).isEqualTo(16L << 30);
        assertThat(Values.bytes("256M", 256 << 20, Long.MAX_VALUE, "x")).isEqualTo(256L << 20);
        for (String bad : new String[] {"255M", "999999999999999999G", "0", "-1G", "1T"}) {
            assertThatThrownBy(() -> Values.bytes(bad, 256 << 20, Long.MAX_VALUE, "at least 256M")).as(bad)
                    .hasMessage("invalid size '" + bad + "': expected at least 256M");
        }
    }

    @Test
    void numbersHaveARange() {
        assertThat(Values.number("4294967294", 3, 0xFFFF_FFFEL)).isEqualTo(4294967294L);
        assertThat(Values.number("3", 3, 0xFFFF_FFFEL)).isEqualTo(3);
        for (String bad : new String[] {"2", "4294967295", "x", "", "-3", "1e3", "99999999999999999999"}) {
            assertThatThrownBy(() -> Values.number(bad, 3, 0xFFFF_FFFEL)).as(bad)
                    .hasMessage("invalid number '" + bad + "': expected a whole number from 3 to 4294967294");
        }
    }

    @Test
    void countsHaveALowerBound() {
        assertThat(Values.count("3", 1)).isEqualTo(3);
        for (String bad : new String[] {"0", "-1", "x", "1.5", "9999999999", ""}) {
            assertThatThrownBy(() -> Values.count(bad, 1)).as(bad).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void choicesListTheAlternatives() {
        assertThat(Values.choice("zsh", List.of("bash", "zsh"))).isEqualTo("zsh");
        assertThatThrownBy(() -> Values.choice("fish", List.of("bash", "zsh"))).hasMessage(
                "invalid value 'fish': expected bash or zsh");
    }
}
