package io.vsockexec.bench;

/** How a row of the table came out. */
public enum Verdict {
    /** Every target of the row holds. */
    PASS,
    /** A target of the row does not hold, or the measurement failed. */
    FAIL,
    /** The row reports figures and has no target. */
    REPORTED;

    /** The value for a comparison: PASS when it holds. */
    static Verdict of(boolean holds) {
        return holds ? PASS : FAIL;
    }

    /** PASS when {@code value <= limit}. */
    static Verdict atMost(double value, double limit) {
        return of(value <= limit);
    }

    /** PASS when {@code value >= limit}. */
    static Verdict atLeast(double value, double limit) {
        return of(value >= limit);
    }

    /** FAIL if any is FAIL, else PASS if any is PASS, else REPORTED. */
    static Verdict all(Verdict... verdicts) {
        Verdict result = REPORTED;
        for (Verdict v : verdicts) {
            if (v == FAIL) {
                return FAIL;
            }
            if (v == PASS) {
                result = PASS;
            }
        }
        return result;
    }

    /** The table's word: {@code pass}, {@code FAIL} or {@code reported}. */
    String label() {
        return switch (this) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case REPORTED -> "reported";
        };
    }
}
