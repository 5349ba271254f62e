package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static Row row(int number, Verdict verdict) {
        return new Row(number, "measurement " + number, "figure", "baseline", "1.00", "target", verdict);
    }

    private static List<Row> allRows(Verdict verdict) {
        List<Row> rows = new ArrayList<>();
        for (int i = Row.LAST; i >= 1; i--) {
            rows.add(row(i, verdict));
        }
        return rows;
    }

    @Test
    void printsOneMarkdownTableWithRowsNumberedOneToEightInOrder() {
        String table = new ResultTable(allRows(Verdict.PASS)).markdown();

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(Row.LAST + 2);
        assertThat(lines.get(0)).isEqualTo("| # | measurement | figure | baseline | ratio | target | result |");
        assertThat(lines.get(1)).isEqualTo("|---|---|---|---|---|---|---|");
        for (int i = 1; i <= Row.LAST; i++) {
            assertThat(lines.get(i + 1)).startsWith("| " + i + " | measurement " + i + " |").endsWith("| pass |");
        }
    }

    @Test
    void allTargetsHoldUnlessARowFailed() {
        assertThat(new ResultTable(allRows(Verdict.PASS)).allTargetsHold()).isTrue();
        List<Row> rows = allRows(Verdict.REPORTED);
        assertThat(new ResultTable(rows).allTargetsHold()).isTrue();
        rows.replaceAll(r -> r.number() == 4 ? row(4, Verdict.FAIL) : r);
        ResultTable failing = new ResultTable(rows);
        assertThat(failing.allTargetsHold()).isFalse();
        assertThat(failing.markdown()).contains("| FAIL |");
    }

    @Test
    void escapesPipesAndLineBreaksSoACellCannotBreakTheTable() {
        Row tricky = new Row(1, "a | b", "x\ny", "-", "-", "t", Verdict.PASS);

        String table = new ResultTable(List.of(tricky)).markdown();

        assertThat(table).contains("| a \\| b | x y |");
        assertThat(table.lines()).hasSize(3);
    }

    @Test
    void rejectsTwoRowsWithOneNumber() {
        assertThatThrownBy(() -> new ResultTable(List.of(row(2, Verdict.PASS), row(2, Verdict.FAIL))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 2");
    }

    @Test
    void rowNumbersOutsideOneToTheLastAreRejectedNamingTheNumber() {
        assertThatThrownBy(() -> row(Row.LAST + 1, Verdict.PASS)).hasMessageContaining(String.valueOf(Row.LAST + 1));
        assertThatThrownBy(() -> row(0, Verdict.PASS)).hasMessageContaining("0");
    }

    @Test
    void aFailedMeasurementIsAFailRowWithItsReason() {
        Row failed = Row.failed(3, "stdin throughput", ">= 0.85", "the agent did not start");

        assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failed.figure()).isEqualTo("failed: the agent did not start");
        assertThat(failed.target()).isEqualTo(">= 0.85");
    }
}
