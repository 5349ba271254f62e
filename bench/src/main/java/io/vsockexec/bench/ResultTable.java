package io.vsockexec.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The benchmark's result: its rows, printed as one markdown table. */
public final class ResultTable {
    private static final String[] HEADER = {"#", "measurement", "figure", "baseline", "ratio", "target", "result"};

    private final List<Row> rows;

    /**
     * @throws IllegalArgumentException if two rows have the same number
     */
    public ResultTable(List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(Row::number));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).number() == sorted.get(i - 1).number()) {
                throw new IllegalArgumentException("row " + sorted.get(i).number() + " appears twice");
            }
        }
        this.rows = List.copyOf(sorted);
    }

    /** The rows, by number. */
    public List<Row> rows() {
        return rows;
    }

    /** True when no row failed: the command's exit status is 0. */
    public boolean allTargetsHold() {
        return rows.stream().noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    /** The table in GitHub markdown, one line per row, ending with a newline. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        line(b, HEADER);
        b.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            line(b, String.valueOf(r.number()), r.measurement(), r.figure(), r.baseline(), r.ratio(), r.target(),
                    r.verdict().label());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String... cells) {
        b.append('|');
        for (String cell : cells) {
            b.append(' ').append(cell(cell)).append(" |");
        }
        b.append('\n');
    }

    /** A cell's text: a pipe would end the cell, a line break the row. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    @Override
    public String toString() {
        return markdown();
    }
}
