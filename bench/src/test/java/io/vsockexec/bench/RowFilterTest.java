package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RowFilterTest {
    @Test
    void withoutTheVariableEveryRowIsMeasured() {
        RowFilter filter = RowFilter.of(Map.of());

        assertThat(filter.includes(1)).isTrue();
        assertThat(filter.includes(14)).isTrue();
        assertThat(RowFilter.parse(" ").includes(7)).isTrue();
    }

    @Test
    void namedRowsAreMeasuredAndTheOthersLeftOut() {
        RowFilter filter = RowFilter.of(Map.of(RowFilter.VARIABLE, "1, 3,12"));

        assertThat(filter.includes(1)).isTrue();
        assertThat(filter.includes(3)).isTrue();
        assertThat(filter.includes(12)).isTrue();
        assertThat(filter.includes(2)).isFalse();
        assertThat(filter.includes(4)).isFalse();
    }

    @Test
    void aBadEntryIsRejectedNamingTheVariableAndTheEntry() {
        assertThatThrownBy(() -> RowFilter.parse("1,two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RowFilter.VARIABLE).hasMessageContaining("'two'");
        assertThatThrownBy(() -> RowFilter.parse("0")).hasMessageContaining("'0'");
        assertThatThrownBy(() -> RowFilter.parse("1,,2")).hasMessageContaining("''");
    }
}
