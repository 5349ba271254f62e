package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictTest {
    @Test
    void aBoundIsMetAtTheBoundItself() {
        assertThat(Verdict.atMost(1.25, 1.25)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.atMost(1.2501, 1.25)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.atLeast(0.85, 0.85)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.atLeast(0.8499, 0.85)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aNotANumberRatioNeverPasses() {
        assertThat(Verdict.atMost(Double.NaN, 1.25)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.atLeast(Double.NaN, 0.85)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aRowWithSeveralTargetsFailsIfAnyFails() {
        assertThat(Verdict.all(Verdict.PASS, Verdict.PASS)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.all(Verdict.PASS, Verdict.FAIL)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.all(Verdict.REPORTED, Verdict.PASS)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.all(Verdict.REPORTED)).isEqualTo(Verdict.REPORTED);
    }

    @Test
    void labelsAreTheTablesWords() {
        assertThat(Verdict.PASS.label()).isEqualTo("pass");
        assertThat(Verdict.FAIL.label()).isEqualTo("FAIL");
        assertThat(Verdict.REPORTED.label()).isEqualTo("reported");
    }
}
