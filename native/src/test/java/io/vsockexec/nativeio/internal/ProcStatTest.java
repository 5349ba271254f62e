package io.vsockexec.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void commWithSpacesAndParenthesesEndsAtTheLastClosingParenthesis() {
        ProcStat stat = ProcStat.parse("4242 (a) b (c) Z 17 4200 4100 0 -1 4194560 95 0 0 0 0 0 0 0 20 0 1 0 606253"
                + " 3133440 393\n");
        assertThat(stat).isEqualTo(new ProcStat(4242, 'Z', 17, 4200, 4100, 606253));
        assertThat(stat.isZombie()).isTrue();
    }

    @Test
    void lineWithoutTheFieldsIsRejectedWithTheLine() {
        assertThatThrownBy(() -> ProcStat.parse("4242 (sh) S 17"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a /proc/PID/stat line: 4242 (sh) S 17");
    }

    @Test
    void thisProcessIsReadWithItsParentAndIsFoundByTheScan() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        ProcStat stat = ProcStat.of((int) self.pid());
        assertThat(stat.ppid()).isEqualTo(self.parent().orElseThrow().pid());
        assertThat(stat.isZombie()).isFalse();
        boolean found = ProcStat.scan(stats -> stats.anyMatch(s -> s.pid() == self.pid()));
        assertThat(found).isTrue();
    }
}
