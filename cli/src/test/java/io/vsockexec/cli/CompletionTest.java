package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts, made from the tables; the bash one run in a real bash. */
class CompletionTest {
    @TempDir
    Path dir;

    /** What the bash script offers for the command line {@code words}, the last word being completed. */
    private String bashCompletes(String... words) throws Exception {
        Path script = dir.resolve("vsockexec.bash");
        Files.writeString(script, Completion.bash(Commands.specs()));
        StringBuilder line = new StringBuilder("source " + script + "; COMP_WORDS=(");
        for (String w : words) {
            line.append('\'').append(w).append("' ");
        }
        line.append("); COMP_CWORD=").append(words.length - 1).append("; _vsockexec; echo \"${COMPREPLY[*]}\"");
        Process bash = new ProcessBuilder("bash", "-c", line.toString()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void bashCompletesCommandsOptionsAndValues() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")));
        Files.writeString(dir.resolve("vars.env"), "A=1\n");

        assertThat(bashCompletes("vsockexec", "ex")).isEqualTo("exec");
        assertThat(bashCompletes("vsockexec", "-v", "re")).isEqualTo("ready");
        assertThat(bashCompletes("vsockexec", "exec", "--t")).isEqualTo("--tty --timeout");
        assertThat(bashCompletes("vsockexec", "agent", "--max-")).isEqualTo("--max-sessions --max-frame --max-memory --max-pending");
        assertThat(bashCompletes("vsockexec", "bench", "--transport", "h")).isEqualTo("hybrid");
        assertThat(bashCompletes("vsockexec", "completion", "")).isEqualTo("bash zsh");
        assertThat(bashCompletes("vsockexec", "help", "c")).isEqualTo("cp cid completion");
        assertThat(bashCompletes("vsockexec", "exec", "--env-file", dir + "/va")).isEqualTo(dir + "/vars.env");
        assertThat(bashCompletes("vsockexec", "exec", "--connect", "")).isEmpty();
    }

    @Test
    void zshDescribesEveryCommandAndOption() {
        String zsh = Completion.zsh(Commands.specs());

        assertThat(zsh).startsWith("#compdef vsockexec\n").endsWith("_vsockexec \"$@\"\n");
        assertThat(zsh).contains("'exec:Run a command in a VM'",
                "'*'{-e,--env}'[Set an environment variable; KEY alone passes this process'\\''s value, if set]:KEY=VAL: '",
                "'--env-file[Read variables from a file\\: a KEY=VAL or KEY per line, as -e takes them; blank lines and"
                        + " lines starting with # are skipped]:FILE:_files'",
                "'--transport[The transport of every agent, client and baseline]:unix|hybrid|tcp:(unix hybrid tcp)'",
                "'*:SHELL:(bash zsh)'");
    }

    @Test
    void theCommandPrintsTheScriptOrRefusesAnotherShell() {
        Captured io = new Captured();
        assertThat(io.run("completion", "bash")).isZero();
        assertThat(io.out()).isEqualTo(Completion.bash(Commands.specs()));

        io.clear();
        assertThat(io.run("completion", "fish")).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err()).startsWith("vsockexec: no completion for the shell \"fish\": bash or zsh\n");
    }
}
