package io.vsockexec.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmOptionsTest {
    @Test
    void defaultsAreCidThreeAndOneGibibyte() {
        VmOptions o = VmOptions.parse(List.of("--dir", "/srv/vm1"));
        assertThat(o.dir()).isEqualTo(Path.of("/srv/vm1"));
        assertThat(o.cid()).isEqualTo(3);
        assertThat(o.memoryBytes()).isEqualTo(1L << 30);
        assertThat(o.agentOptions()).isEmpty();
    }

    @Test
    void everythingAfterTheDoubleDashGoesToTheAgent() {
        VmOptions o = VmOptions.parse(List.of("--dir=/srv/vm1", "--cid", "7", "--memory", "512M", "--",
                "--grace", "2s", "--cid", "x"));
        assertThat(o.cid()).isEqualTo(7);
        assertThat(o.memoryBytes()).isEqualTo(512L << 20);
        assertThat(o.agentOptions()).containsExactly("--grace", "2s", "--cid", "x");
    }

    @Test
    void sizesTakeKMAndGAsPowersOf1024() {
        assertThat(VmOptions.size("2g")).isEqualTo(2L << 30);
        assertThat(VmOptions.size("300K")).isEqualTo(300L << 10);
        assertThat(VmOptions.size("1048576")).isEqualTo(1 << 20);
    }

    @Test
    void badOptionsNameWhatIsWrong() {
        assertThatThrownBy(() -> VmOptions.parse(List.of())).hasMessage("--dir is required");
        assertThatThrownBy(() -> VmOptions.parse(List.of("--dir", "/x", "--cid", "seven")))
                .hasMessage("--cid must be a number, is \"seven\"");
        assertThatThrownBy(() -> VmOptions.parse(List.of("--dir", "/x", "--memory", "lots")))
                .hasMessageStartingWith("--memory must be a size");
        assertThatThrownBy(() -> VmOptions.parse(List.of("--dir", "/x", "--disk", "y")))
                .hasMessage("unknown option --disk");
        assertThatThrownBy(() -> VmOptions.parse(List.of("--dir"))).hasMessage("option --dir needs a value");
        assertThatThrownBy(() -> VmOptions.parse(List.of("--dir", "/x", "--cid", "2")).config())
                .hasMessageContaining("cid must be between 3 and 4294967294");
    }

    @Test
    void theRunnerExitsTwoWithTheUsageForBadOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VmMain.run(List.of("--cid", "7"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vsockexec vm: --dir is required\nusage: ");
    }

    @Test
    void aMachineWithoutUserModeLinuxIsToldWhatIsMissingInOneLine(@TempDir Path dir) {
        VmConfig config = VmConfig.of(dir).withKernel(dir.resolve("no-such-kernel"));
        assertThatThrownBy(() -> UmlVm.start(config))
                .isInstanceOf(VmUnavailableException.class)
                .hasMessage(dir.resolve("no-such-kernel") + " is not installed (apt-get install user-mode-linux kmod)");
    }

    @Test
    void theGuestInitQuotesWhatItIsGiven() {
        assertThat(GuestInit.quote("it's /a b")).isEqualTo("'it'\\''s /a b'");
    }
}
