package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/vsock-e2e}: the conformance suite and the AF_VSOCK socket suite over real
 * VM sockets inside user-mode Linux. The script's output, a bounded summary ending with where the
 * full logs are, goes to the build log; a failure's message is its result line and that last line.
 */
class UserModeLinuxIT {
    /** The script prints far fewer; this only guards the build log against a runaway. */
    private static final int MAX_ECHOED = 400;
    private static final int LINES_IN_SKIP_MESSAGE = 30;

    @Test
    void everySuitePassesOverRealVmSocketsInsideUserModeLinux() throws IOException, InterruptedException {
        ScriptRun run = ScriptRun.of("vsock-e2e", MAX_ECHOED, Duration.ofMinutes(6));
        List<String> lines = run.lines();
        assumeTrue(!run.skipped(), () -> String.join("\n", last(lines)));
        String result = first(lines, "vsock: ");
        assertThat(run.status() == 0 && result.matches("vsock: [1-9]\\d* passed, 0 failed"))
                .withFailMessage(() -> "scripts/vsock-e2e exited with status " + run.status() + ", " + result
                        + " (the failures are summed up above)\n" + first(lines, "vsock-e2e: full logs: "))
                .isTrue();
    }

    private static String first(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no line " + prefix + "...)");
    }

    private static List<String> last(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - LINES_IN_SKIP_MESSAGE), lines.size());
    }
}
