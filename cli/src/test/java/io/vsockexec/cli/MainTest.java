package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The program's own words: its version, an unknown command or option, and {@code -v}. */
class MainTest {
    private final Captured io = new Captured();

    @Test
    void anUnknownCommandIsNamedWithTheListOfCommands() {
        assertThat(io.run("bogus")).isEqualTo(ExitCodes.USAGE);

        assertThat(io.err().lines()).containsExactly(
                "vsockexec: unknown command \"bogus\"",
                "Commands: exec, cp, port-forward, agent, ready, cid, vm, bench, completion, help",
                "See 'vsockexec --help'.");
        assertThat(io.err()).doesNotContain("Unmatched");
    }

    @Test
    void aCloseMisspellingGetsASuggestion() {
        assertThat(io.run("exc", "--connect", "local", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err()).startsWith("vsockexec: unknown command \"exc\" (did you mean \"exec\"?)\n");

        assertThat(Commands.closest("raedy")).isEqualTo("ready");
        assertThat(Commands.closest("comp")).isEqualTo("completion");
        assertThat(Commands.closest("xyzzy")).isNull();
    }

    @Test
    void anUnknownOptionIsOneLineAndAPointerToTheHelp() {
        assertThat(io.run("exec", "--bogus", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err().lines()).containsExactly("vsockexec: unknown option --bogus", "See 'vsockexec exec --help'.");

        io.clear();
        assertThat(io.run("--bogus")).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err().lines()).containsExactly("vsockexec: unknown option --bogus", "See 'vsockexec --help'.");
    }

    @Test
    void versionNamesTheProgramAndTheJava() {
        assertThat(io.run("--version")).isZero();
        assertThat(io.out()).matches("vsockexec \\S+ \\(Java " + Pattern.quote(Runtime.version().toString()) + "\\)\\n");
    }

    @Test
    void helpOfAnUnknownCommandIsTheUnknownCommandError() {
        assertThat(io.run("help", "bogus")).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err()).startsWith("vsockexec: unknown command \"bogus\"");
    }
}
