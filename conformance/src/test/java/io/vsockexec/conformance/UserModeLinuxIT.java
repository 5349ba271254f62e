package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/vsock-e2e}: the conformance suite and the AF_VSOCK socket suite over real
 * VM sockets inside user-mode Linux. The script's output, a bounded summary ending with where the
 * full logs are, goes to the build log; a failure's message is its result line and that last line.
 */
class UserModeLinuxIT {
    private static final int SKIPPED = 77;
    /** The script prints far fewer; this only guards the build log against a runaway. */
    private static final int MAX_ECHOED = 400;
    private static final int LINES_IN_SKIP_MESSAGE = 30;

    @Test
    void everySuitePassesOverRealVmSocketsInsideUserModeLinux() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/vsock-e2e");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (lines.size() < MAX_ECHOED) {
                    System.out.println(line);
                }
                lines.add(line);
            }
        }
        assertThat(p.waitFor(6, TimeUnit.MINUTES)).isTrue();
        assumeTrue(p.exitValue() != SKIPPED, () -> String.join("\n", last(lines)));
        String result = first(lines, "vsock: ");
        assertThat(p.exitValue() == 0 && result.matches("vsock: [1-9]\\d* passed, 0 failed"))
                .withFailMessage(() -> "scripts/vsock-e2e exited with status " + p.exitValue() + ", " + result
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
