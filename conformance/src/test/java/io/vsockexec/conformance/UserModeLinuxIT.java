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
 * VM sockets inside user-mode Linux. Its output goes to the build log, ending with
 * {@code vsock: N passed, M failed}.
 */
class UserModeLinuxIT {
    private static final int SKIPPED = 77;

    @Test
    void everySuitePassesOverRealVmSocketsInsideUserModeLinux() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/vsock-e2e");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                lines.add(line);
            }
        }
        assertThat(p.waitFor(6, TimeUnit.MINUTES)).isTrue();
        assumeTrue(p.exitValue() != SKIPPED, () -> String.join("\n", lines));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("vsock: [1-9]\\d* passed, 0 failed"));
        assertThat(p.exitValue()).as("scripts/vsock-e2e exit status").isZero();
    }
}
