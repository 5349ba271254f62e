package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.vm.VmUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Row 9 where user-mode Linux cannot run. (Where it can, the full {@code vsockexec bench} measures it.) */
class VmBenchTest {
    @Test
    void whereUserModeLinuxCannotRunTheRowSaysWhyAndFailsNothing() {
        Row row = VmBench.skipped(9, VmBench.MEASUREMENT, new VmUnavailableException("/usr/bin/linux.uml is not"
                + " installed (apt-get install user-mode-linux kmod)"));

        assertThat(row.number()).isEqualTo(9);
        assertThat(row.figure()).isEqualTo("skipped: user-mode Linux cannot run here: /usr/bin/linux.uml is not"
                + " installed (apt-get install user-mode-linux kmod)");
        assertThat(row.verdict()).isEqualTo(Verdict.REPORTED);
        assertThat(new ResultTable(List.of(row)).allTargetsHold()).isTrue();
    }
}
