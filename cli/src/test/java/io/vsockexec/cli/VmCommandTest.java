package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.vm.VmConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The {@code vm} command's options, parsed by the command line's one table into a
 * {@link VmConfig}; bad ones exit 2 before anything boots. (Booting a guest is proven by
 * {@code scripts/vm-e2e}, which starts it through the launcher.)
 */
class VmCommandTest {
    private final Captured io = new Captured();

    private static VmConfig config(String... args) {
        return VmCommand.config(ArgParser.parse(VmCommand.COMMAND.spec(), args, 0));
    }

    @Test
    void defaultsAreCidThreeAndOneGibibyteAndNoAgentOptions() {
        VmConfig config = config("--dir", "/srv/vm1");

        assertThat(config.dir()).isEqualTo(Path.of("/srv/vm1"));
        assertThat(config.hybridSocket()).isEqualTo(Path.of("/srv/vm1/vm.sock"));
        assertThat(config.cid()).isEqualTo(3);
        assertThat(config.memoryBytes()).isEqualTo(1L << 30);
        assertThat(config.agentOptions()).isEmpty();
    }

    @Test
    void wordsAfterTheDoubleDashGoToTheAgentInside() {
        VmConfig config = config("--dir=/srv/vm1", "--cid", "7", "--memory", "512M", "--", "--grace", "2s",
                "--max-sessions", "9");

        assertThat(config.cid()).isEqualTo(7);
        assertThat(config.memoryBytes()).isEqualTo(512L << 20);
        assertThat(config.agentOptions()).containsExactly("--grace", "2s", "--max-sessions", "9");
    }

    @Test
    void memoryTakesKMAndGAsPowersOf1024AndCidsRunTo4294967294() {
        assertThat(config("--dir", "/x", "--memory", "2g").memoryBytes()).isEqualTo(2L << 30);
        assertThat(config("--dir", "/x", "--memory", "300000K").memoryBytes()).isEqualTo(300000L << 10);
        assertThat(config("--dir", "/x", "--memory", "16GiB").memoryBytes()).isEqualTo(16L << 30);
        assertThat(config("--dir", "/x", "--cid", "4294967294").cid()).isEqualTo(4294967294L);
    }

    @Test
    void aMissingDirectoryIsAUsageErrorPointingToTheHelp() {
        assertThat(io.run("vm", "--cid", "7")).isEqualTo(2);
        assertThat(io.err()).isEqualTo("vsockexec: vsockexec vm needs --dir DIR\nSee 'vsockexec vm --help'.\n");
        assertThat(io.out()).isEmpty();
    }

    @Test
    void badValuesExitTwoNamingTheOption() {
        assertThat(io.run("vm", "--dir", "/x", "--cid", "2")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: --cid: invalid number '2': expected a whole number from 3 to"
                + " 4294967294\n");
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--cid", "4294967295")).isEqualTo(2);
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--memory", "255M")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: --memory: invalid size '255M': expected a size of at least 256M");
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--memory", "lots")).isEqualTo(2);
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--disk", "y")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: unknown option --disk\n");
    }

    @Test
    void agentOptionsAreCheckedByTheAgentsTableBeforeAnythingBoots() {
        assertThat(io.run("vm", "--dir", "/x", "--", "--grace", "soon")).isEqualTo(2);
        assertThat(io.err()).isEqualTo("vsockexec: --grace: invalid duration 'soon': expected a number with a unit,"
                + " e.g. 500ms, 5s, 2m, 1h\nSee 'vsockexec agent --help'.\n");
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--", "--bogus")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: unknown option --bogus\nSee 'vsockexec agent --help'.");
        io.clear();
        assertThat(io.run("vm", "--dir", "/x", "--", "--help")).isEqualTo(2);
        assertThat(io.out()).isEmpty();
    }

    @Test
    void theHelpShowsTheUsageAndTheOptions() {
        assertThat(io.run("vm", "--help")).isZero();
        assertThat(io.out()).startsWith("Usage:  vsockexec vm --dir DIR [--cid N] [--memory SIZE] [-- AGENT_OPTION...]\n")
                .contains("--cid N", "--memory SIZE", "69");
    }
}
