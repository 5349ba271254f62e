package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.ExecRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void anArgumentVectorGoesAsAQuotedShellLineAndAsArgvWithoutArgs() {
        ExecRequest r = Command.argv("printf", "%s\\n", "a b", "$HOME", "it's").toRequest();

        assertThat(r.command()).isEqualTo("printf '%s\\n' 'a b' '$HOME' 'it'\\''s'");
        assertThat(r.argv()).containsExactly("printf", "%s\\n", "a b", "$HOME", "it's");
        assertThat(r.args()).isEmpty();
    }

    @Test
    void aShellCommandGoesAsTheGoHostSendsItWithoutArgv() {
        ExecRequest r = Command.shell("echo $HOME | wc -c").toRequest();

        assertThat(r.command()).isEqualTo("echo $HOME | wc -c");
        assertThat(r.argv()).isEmpty();
        assertThat(Command.shell("ls").toTtyRequest(0, 0).argv()).isEmpty();
    }

    @Test
    void aFirstWordTheShellWouldReadSpeciallyIsQuoted() {
        assertThat(Command.shellLine(List.of("if", "x"))).isEqualTo("'if' x");
        assertThat(Command.shellLine(List.of("A=1", "B=2"))).isEqualTo("'A=1' B=2");
        assertThat(Command.shellLine(List.of("/opt/my tool's bin"))).isEqualTo("'/opt/my tool'\\''s bin'");
        assertThat(Command.shellLine(List.of("ls", ""))).isEqualTo("ls ''");
    }

    @Test
    void withersReturnModifiedCopiesAndKeepTheOriginal() {
        Command base = Command.shell("env");
        Command full = base.withEnv("B", "2").withEnv(Map.of("A", "1")).withWorkingDir("/tmp").withUser("1000:1000")
                .withTimeout(Duration.ofSeconds(5));
        assertThat(base.env()).isEmpty();
        assertThat(full.env()).containsExactly(Map.entry("B", "2"), Map.entry("A", "1"));
        assertThat(full.toTtyRequest(24, 80).user()).isEqualTo("1000:1000");
        assertThat(full.timeout().duration()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void toStringShowsEnvironmentNamesButNotValues() {
        String text = Command.argv("deploy", "--prod").withEnv("TOKEN", "s3cret").toString();
        assertThat(text).contains("deploy --prod", "TOKEN").doesNotContain("s3cret");
    }

    @Test
    void rejectsWhatCannotRunNamingThePositionOrKeyNeverTheValue() {
        assertThatThrownBy(() -> Command.argv(List.of())).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Command.shell("  ")).hasMessageContaining("\"  \"");
        assertThatThrownBy(() -> Command.argv("ls", "-psecret\0b")).hasMessage("command word 1 contains a NUL byte");
        assertThatThrownBy(() -> Command.shell("x").withEnv("A=secret", "1"))
                .hasMessageStartingWith("environment key 0 is not a valid name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> Command.shell("x").withEnv("K", "v\0secret"))
                .hasMessage("environment variable K contains a NUL byte");
        assertThatThrownBy(() -> Command.shell("x").withTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new Command(Command.Kind.SHELL, List.of("a", "secret"), null, null, null,
                io.vsockexec.base.Timeout.NONE)).hasMessage("a shell command is one command line, got 2 words");
    }

    @Test
    void displayQuotesWordsTheWayAShellWouldNeed() {
        assertThat(Command.argv("echo", "a b", "it's").display()).isEqualTo("echo 'a b' 'it'\\''s'");
        assertThat(Command.shell("echo hi | wc -c").display()).isEqualTo("sh -c 'echo hi | wc -c'");
    }
}
