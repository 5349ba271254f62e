package io.vsockexec.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmRunnerTest {
    @Test
    void aMachineWithoutUserModeLinuxIsToldWhatIsMissingInOneLine(@TempDir Path dir) {
        VmConfig config = VmConfig.of(dir).withKernel(dir.resolve("no-such-kernel"));
        assertThatThrownBy(() -> UmlVm.start(config))
                .isInstanceOf(VmUnavailableException.class)
                .hasMessage(dir.resolve("no-such-kernel") + " is not installed (apt-get install user-mode-linux kmod)");
    }

    @Test
    void theRunnerExitsSixtyNineWithOneLineWhereUserModeLinuxCannotRun(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VmRunner.run(VmConfig.of(dir).withKernel(dir.resolve("no-such-kernel")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(VmRunner.UNAVAILABLE).isEqualTo(69);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("vsockexec: user-mode Linux cannot run here: "
                + dir.resolve("no-such-kernel") + " is not installed (apt-get install user-mode-linux kmod)\n");
    }

    @Test
    void theConfigNamesABadCidOrTooLittleMemory(@TempDir Path dir) {
        assertThatThrownBy(() -> VmConfig.of(dir).withCid(2)).hasMessage("cid must be between 3 and 4294967294, is 2");
        assertThatThrownBy(() -> VmConfig.of(dir).withMemory(255L << 20)).hasMessageStartingWith("memory must be at"
                + " least 256M");
    }

    @Test
    void theGuestInitQuotesWhatItIsGiven() {
        assertThat(GuestInit.quote("it's /a b")).isEqualTo("'it'\\''s /a b'");
    }
}
