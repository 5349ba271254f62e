package io.vsockexec.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which rows a run measures: every row, or, for iterating on a few, those named in the internal
 * environment variable {@code VSOCKEXEC_BENCH_ROWS} (row numbers separated by commas, such as
 * {@code 1,2,3}). Rows keep their numbers; the others are left out of the table.
 */
record RowFilter(Set<Integer> rows) {
    /** The variable's name; internal, for measuring, not a user's option. */
    static final String VARIABLE = "VSOCKEXEC_BENCH_ROWS";

    RowFilter {
        rows = Set.copyOf(rows);
    }

    /** Every row. */
    static RowFilter all() {
        return new RowFilter(Set.of());
    }

    /** From the environment: every row without {@link #VARIABLE}. */
    static RowFilter of(Map<String, String> env) {
        return parse(env.get(VARIABLE));
    }

    /**
     * A comma-separated list of positive row numbers; null or blank is every row.
     *
     * @throws IllegalArgumentException naming the variable and the bad entry
     */
    static RowFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return all();
        }
        Set<Integer> rows = new TreeSet<>();
        for (String part : text.split(",")) {
            rows.add(number(part.strip()));
        }
        return new RowFilter(rows);
    }

    /** Whether row {@code number} is measured. */
    boolean includes(int number) {
        return rows.isEmpty() || rows.contains(number);
    }

    private static int number(String part) {
        try {
            int n = Integer.parseInt(part);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Named below.
        }
        throw new IllegalArgumentException(VARIABLE + ": not a row number: '" + part + "'");
    }
}
