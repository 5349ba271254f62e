package io.vsockexec.conformance;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A bounded account of failed tests, for a person reading a build log: which tests failed, the
 * first lines of each cause and the line of the suite it came from. Whole stack traces belong in
 * the full log; this is what points into it.
 */
final class FailureSummary {
    /** Failures listed at most; the rest are counted. */
    static final int MAX_FAILURES = 20;
    /** Lines of each cause at most. */
    static final int MAX_CAUSE_LINES = 5;
    /** Characters of a line at most: an assertion can print a whole array on one line. */
    static final int MAX_LINE = 200;

    private FailureSummary() {}

    /** The summary of {@code failures}: a few lines each, {@link #MAX_FAILURES} failures at most. */
    static List<String> of(List<TestExecutionSummary.Failure> failures) {
        List<String> lines = new ArrayList<>();
        for (TestExecutionSummary.Failure f : failures.subList(0, Math.min(failures.size(), MAX_FAILURES))) {
            lines.add("FAILED " + name(f));
            lines.addAll(cause(f.getException()));
        }
        if (failures.size() > MAX_FAILURES) {
            lines.add("... and " + (failures.size() - MAX_FAILURES) + " more failures");
        }
        return lines;
    }

    private static String name(TestExecutionSummary.Failure f) {
        TestSource source = f.getTestIdentifier().getSource().orElse(null);
        if (source instanceof MethodSource m) {
            return m.getJavaClass().getSimpleName() + "." + m.getMethodName() + "()";
        }
        return f.getTestIdentifier().getDisplayName();
    }

    /** The first lines of {@code t}'s text, then the first frame of this package, which names the suite's line. */
    static List<String> cause(Throwable t) {
        List<String> lines = new ArrayList<>();
        for (String line : t.toString().split("\\R")) {
            if (!line.isBlank() && lines.size() < MAX_CAUSE_LINES) {
                lines.add("    " + clip(line.strip()));
            }
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith(FailureSummary.class.getPackageName() + ".")) {
                lines.add("    at " + frame.getFileName() + ":" + frame.getLineNumber());
                break;
            }
        }
        return lines;
    }

    private static String clip(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
    }
}
