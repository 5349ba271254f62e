package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class FailureSummaryTest {
    record Failed(TestIdentifier getTestIdentifier, Throwable getException) implements TestExecutionSummary.Failure {
        static Failed of(String method, Throwable cause) {
            AbstractTestDescriptor test = new AbstractTestDescriptor(UniqueId.root("test", method), method + "()",
                    MethodSource.from(VsockSocketSuite.class.getName(), method)) {
                @Override
                public Type getType() {
                    return Type.TEST;
                }
            };
            return new Failed(TestIdentifier.from(test), cause);
        }
    }

    @Test
    void namesEachFailedTestWithTheFirstLinesOfItsCauseAndTheSuiteLine() {
        AssertionError cause = new AssertionError("\nexpected: 4\n but was: 3\n" + "x".repeat(500) + "\nmore\nand more");

        List<String> lines = FailureSummary.of(List.of(Failed.of("carriesBytes", cause)));

        assertThat(lines.getFirst()).isEqualTo("FAILED VsockSocketSuite.carriesBytes()");
        assertThat(lines.subList(1, lines.size() - 1)).hasSize(FailureSummary.MAX_CAUSE_LINES)
                .startsWith("    java.lang.AssertionError:", "    expected: 4", "    but was: 3")
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(4 + FailureSummary.MAX_LINE + 3));
        assertThat(lines.getLast()).startsWith("    at FailureSummaryTest.java:");
    }

    @Test
    void listsTwentyFailuresAtMostAndCountsTheRest() {
        List<TestExecutionSummary.Failure> failures = new ArrayList<>();
        IntStream.range(0, 25).forEach(i -> failures.add(Failed.of("test" + i, new AssertionError("failure " + i))));

        List<String> lines = FailureSummary.of(failures);

        assertThat(lines).filteredOn(line -> line.startsWith("FAILED ")).hasSize(FailureSummary.MAX_FAILURES);
        assertThat(lines.getLast()).isEqualTo("... and 5 more failures");
    }
}
