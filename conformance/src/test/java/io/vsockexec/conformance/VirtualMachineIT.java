package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/vm-e2e}: the conformance suite and the VM checks from the host, through
 * {@code vsockexec vm}'s virtio-vsock back-end and a user-mode Linux guest kernel. Its output goes
 * to the build log, ending with {@code vm: N passed, M failed}.
 */
class VirtualMachineIT {
    /** The script's own limit (VM_E2E_TIMEOUT) is 900 s; this one only catches a script that hangs past it. */
    private static final Duration LIMIT = Duration.ofMinutes(17);

    @Test
    void everySuitePassesThroughTheVirtioVsockBackEndAndAGuestKernel() throws IOException, InterruptedException {
        ScriptRun run = ScriptRun.of("vm-e2e", Integer.MAX_VALUE, LIMIT);
        assumeTrue(!run.skipped(), () -> String.join("\n", run.lines()));
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).matches("vm: ([3-9]\\d|\\d{3,}) passed, 0 failed"));
        assertThat(run.status()).as("scripts/vm-e2e exit status").isZero();
    }
}
