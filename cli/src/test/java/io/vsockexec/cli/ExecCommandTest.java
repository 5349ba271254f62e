package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.client.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command line becomes a {@link Command}, without running anything. */
class ExecCommandTest {
    @TempDir
    Path dir;

    private static Command parse(String... args) {
        return ExecCommand.command(ArgParser.parse(ExecCommand.COMMAND.spec(), args, 0));
    }

    private static void assertFailsWith(int status, String messagePart, String... args) {
        assertThatThrownBy(() -> parse(args))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(messagePart);
    }

    @Test
    void oneWordIsAShellCommandLineAndSeveralAreAnArgumentVector() {
        assertThat(parse("--", "echo hi | wc -c").kind()).isEqualTo(Command.Kind.SHELL);
        Command argv = parse("--", "ls", "-l", "/");
        assertThat(argv.kind()).isEqualTo(Command.Kind.ARGV);
        assertThat(argv.words()).containsExactly("ls", "-l", "/");
    }

    @Test
    void optionsEndAtTheCommandAsInDockerExec() {
        Command c = parse("--connect", "local", "ls", "-l", "--timeout", "5s");
        assertThat(c.words()).containsExactly("ls", "-l", "--timeout", "5s");
        assertThat(c.timeout().isNone()).isTrue();
    }

    @Test
    void optionsFillTheCommand() {
        Command c = parse("-e", "A=1", "-e", "B=x=y", "-w", "/tmp", "-u", "nobody", "--timeout", "1.5s", "--", "env");
        assertThat(c.env()).isEqualTo(Map.of("A", "1", "B", "x=y"));
        assertThat(c.workingDir()).isEqualTo("/tmp");
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.timeout().duration()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void envKeyAlonePassesThisProcesssValueOnlyWhenSet() {
        String path = System.getenv("PATH");
        Command c = parse("-e", "PATH", "-e", "VSOCKEXEC_SURELY_UNSET_VARIABLE", "--", "env");
        assertThat(c.env()).isEqualTo(Map.of("PATH", path));
    }

    @Test
    void anEnvFileIsReadAsDockerReadsItAndEnvWinsOverIt() throws IOException {
        Path file = Files.writeString(dir.resolve("vars.env"),
                "# a comment\n\nA=1\n  B=two words = kept\nPATH\nVSOCKEXEC_SURELY_UNSET_VARIABLE\nC=from file\n");
        Command c = parse("--env-file", file.toString(), "-e", "C=from flag", "--", "env");
        assertThat(c.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "two words = kept"),
                Map.entry("PATH", System.getenv("PATH")), Map.entry("C", "from flag"));
    }

    @Test
    void badValuesAreUsageErrorsNamingTheirPlaceNotTheirValue() throws IOException {
        assertFailsWith(ExitCodes.USAGE, "invalid --env number 1: expected KEY=VAL or KEY, with a name",
                "-e", "=secret", "--", "env");
        assertFailsWith(ExitCodes.USAGE, "invalid --env number 2: expected KEY=VAL or KEY, and a name without spaces",
                "-e", "A=1", "-e", "BAD KEY=secret", "--", "env");
        assertFailsWith(ExitCodes.USAGE, "blank", "--", " ");
        Path file = Files.writeString(dir.resolve("bad.env"), "OK=1\nNOT OK=secret\n");
        assertFailsWith(ExitCodes.USAGE, "invalid --env-file " + file + ", line 2: expected KEY=VAL or KEY",
                "--env-file", file.toString(), "true");
        assertFailsWith(ExitCodes.USAGE, "cannot read --env-file " + dir.resolve("none") + ": no such file",
                "--env-file", dir.resolve("none").toString(), "true");
    }

    @Test
    void aTimeoutOfZeroIsRefusedInTheCommandLinesOwnWords() {
        for (String zero : new String[] {"0s", "0ms", "PT0S"}) {
            assertThatThrownBy(() -> parse("--timeout", zero, "true"))
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.status()).isEqualTo(ExitCodes.USAGE))
                    .hasMessageStartingWith("--timeout: '" + zero + "' is no time at all")
                    .message().doesNotContain("Timeout.NONE");
        }
    }

    @Test
    void aRelativeWorkingDirectoryCannotRunAsAMissingOneCannot() {
        assertFailsWith(ExitCodes.CANNOT_RUN, "\"tmp\" is not an absolute path", "-w", "tmp", "pwd");
    }

    @Test
    void aSingleWordLikeAPathWithSpacesIsExplainedWhenNotFound() {
        assertThat(ShellWords.looksLikeSplitPath("/opt/my app/run")).isTrue();
        assertThat(ShellWords.looksLikeSplitPath("./my tool")).isTrue();
        assertThat(ShellWords.looksLikeSplitPath("nosuchcommand")).isFalse();
        assertThat(ShellWords.looksLikeSplitPath("echo hi | nosuch")).isFalse();
        assertThat(ShellWords.looksLikeSplitPath("nosuch arg")).isFalse();
        assertThat(ShellWords.looksLikeSplitPath("'/opt/my app/run'")).isFalse();
    }
}
