package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.client.Command;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How the command line becomes a {@link Command}, without running anything. */
class ExecCommandTest {
    private static Command parse(String... args) {
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        return ((ExecCommand) parsed.subcommand().commandSpec().userObject()).command();
    }

    @Test
    void oneWordIsAShellCommandLineAndSeveralAreAnArgumentVector() {
        assertThat(parse("exec", "--", "echo hi | wc -c").kind()).isEqualTo(Command.Kind.SHELL);
        Command argv = parse("exec", "--", "ls", "-l", "/");
        assertThat(argv.kind()).isEqualTo(Command.Kind.ARGV);
        assertThat(argv.words()).containsExactly("ls", "-l", "/");
    }

    @Test
    void optionsEndAtTheCommandAsInDockerExec() {
        Command c = parse("exec", "--connect", "local", "ls", "-l", "--timeout", "5s");
        assertThat(c.words()).containsExactly("ls", "-l", "--timeout", "5s");
        assertThat(c.timeout().isNone()).isTrue();
    }

    @Test
    void optionsFillTheCommand() {
        Command c = parse("exec", "-e", "A=1", "-e", "B=x=y", "-w", "/tmp", "-u", "nobody", "--timeout", "1.5s", "--", "env");
        assertThat(c.env()).isEqualTo(Map.of("A", "1", "B", "x=y"));
        assertThat(c.workingDir()).isEqualTo("/tmp");
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.timeout().duration()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void envKeyAlonePassesThisProcesssValueOnlyWhenSet() {
        String path = System.getenv("PATH");
        Command c = parse("exec", "-e", "PATH", "-e", "VSOCKEXEC_SURELY_UNSET_VARIABLE", "--", "env");
        assertThat(c.env()).isEqualTo(Map.of("PATH", path));
    }

    @Test
    void badValuesAreUsageErrorsNamingThem() {
        assertThatThrownBy(() -> parse("exec", "-e", "=x", "--", "env"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("\"=x\"");
        assertThatThrownBy(() -> parse("exec", "--", " "))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }
}
