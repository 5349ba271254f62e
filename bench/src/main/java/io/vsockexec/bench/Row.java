package io.vsockexec.bench;

import java.util.Objects;

/**
 * One row of the benchmark's table.
 *
 * @param number the row's number, 1 to {@value #LAST}
 * @param measurement what is measured, e.g. {@code exec round trip (argv true, buffered)}
 * @param figure the measured figure, e.g. {@code p50 1.21 ms, p99 2.02 ms}
 * @param baseline the baseline measured in the same run, or {@code -}
 * @param ratio figure over baseline, or {@code -}
 * @param target the target, e.g. {@code p50 ratio <= 1.25}
 * @param verdict whether the target holds
 */
public record Row(int number, String measurement, String figure, String baseline, String ratio, String target,
        Verdict verdict) {
    /** What a cell without a value shows. */
    public static final String NONE = "-";
    /** The last row's number. */
    public static final int LAST = 14;

    /**
     * @throws IllegalArgumentException if {@code number} is not 1 to {@value #LAST}
     */
    public Row {
        if (number < 1 || number > LAST) {
            throw new IllegalArgumentException("row number must be 1 to " + LAST + ", is " + number);
        }
        Objects.requireNonNull(measurement, "measurement");
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** A row whose measurement failed: the reason in the figure, FAIL. */
    static Row failed(int number, String measurement, String target, String reason) {
        return new Row(number, measurement, "failed: " + reason, NONE, NONE, target, Verdict.FAIL);
    }
}
