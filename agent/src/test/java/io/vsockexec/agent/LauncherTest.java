package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecTtyRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    private static final Map<String, String> AGENT_ENV = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root",
            "USER", "root", "KEEP", "agent");

    @TempDir
    Path dir;

    private final Launcher asRoot = new Launcher(AGENT_ENV, 0, 0);

    private static RequestedCommand command(String command, List<String> args, String workingDir,
            Map<String, String> env, String user, boolean terminal) {
        return new RequestedCommand(command, args, !args.isEmpty(), workingDir, env, user, new byte[0], terminal, 0, 0);
    }

    private static RequestedCommand shell(String command) {
        return command(command, List.of(), "", Map.of(), "", false);
    }

    private static RequestedCommand program(String command, String... args) {
        return command(command, List.of(args), "", Map.of(), "", false);
    }

    @Test
    void anArgumentVectorRunsWithoutAShellAndItsShellLineIsIgnored() throws Exception {
        byte[] payload = ExecPayloads.encode(new ExecRequest("printf 'not this'", List.of("nor", "this"), null, null, null,
                null, List.of("/bin/echo", "%s|", "a b")));

        Launcher.Plan plan = asRoot.plan(RequestedCommand.decodeExec(payload));

        assertThat(plan.argv()).containsExactly("/bin/echo", "%s|", "a b");
    }

    @Test
    void anArgumentVectorOfOneWordRunsThatProgramWithoutAShell() throws Exception {
        byte[] payload = ExecPayloads.encode(new ExecTtyRequest("true", null, null, null, 0, 0, null, List.of("/bin/true")));

        Launcher.Plan plan = asRoot.plan(RequestedCommand.decodeTty(payload));

        assertThat(plan.argv()).containsExactly("/bin/true");
    }

    @Test
    void aRequestWithoutArgvMeansWhatItMeantBefore() throws Exception {
        Launcher.Plan shell = asRoot.plan(RequestedCommand.decodeExec(ExecPayloads.encode(ExecRequest.of("echo a b"))));
        Launcher.Plan vector = asRoot.plan(RequestedCommand.decodeExec(ExecPayloads.encode(
                new ExecRequest("/bin/echo", List.of("a b"), null, null, null, null))));

        assertThat(shell.argv()).containsExactly("/bin/sh", "-c", "echo a b");
        assertThat(vector.argv()).containsExactly("/bin/echo", "a b");
    }

    @Test
    void commandWithoutArgsRunsInTheShell() throws Exception {
        Launcher.Plan plan = asRoot.plan(shell("echo $HOME | wc -c"));

        assertThat(plan.argv()).containsExactly("/bin/sh", "-c", "echo $HOME | wc -c");
        assertThat(plan.program()).isEqualTo("/bin/sh -c");
        assertThat(plan.workingDirectory()).isNull();
    }

    @Test
    void commandWithArgsIsLookedUpInThePathOfTheMergedEnvironment() throws Exception {
        Path tool = Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        Launcher.Plan plan = asRoot.plan(command("tool", List.of("a b", "$X"), "",
                Map.of("PATH", dir.toString()), "", false));

        assertThat(plan.argv()).containsExactly(tool.toString(), "a b", "$X");
    }

    @Test
    void missingProgramIs127AndNonExecutableIs126() throws Exception {
        Files.writeString(dir.resolve("data"), "x");

        assertThatThrownBy(() -> asRoot.plan(program("no-such-program-here", "x")))
                .isInstanceOfSatisfying(StartFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(127);
                    assertThat(f.stderrLine())
                            .isEqualTo("vsockexec: exec \"no-such-program-here\": executable file not found in PATH\n");
                });
        assertThatThrownBy(() -> asRoot.plan(command("data", List.of("x"), "",
                        Map.of("PATH", dir.toString()), "", false)))
                .isInstanceOfSatisfying(StartFailure.class, f -> assertThat(f.exitCode()).isEqualTo(126));
    }

    @Test
    void requestEnvironmentOverridesTheAgentsAndTerminalsGetATerm() throws Exception {
        Launcher.Plan plain = asRoot.plan(command("true", List.of(), "", Map.of("KEEP", "request"), "", false));
        Launcher.Plan tty = asRoot.plan(command("true", List.of(), "", Map.of(), "", true));
        Launcher.Plan ownTerm = asRoot.plan(command("true", List.of(), "", Map.of("TERM", "vt100"), "", true));

        assertThat(plain.environment()).containsEntry("KEEP", "request").containsEntry("HOME", "/root")
                .doesNotContainKey("TERM");
        assertThat(tty.environment()).containsEntry("TERM", "xterm-256color");
        assertThat(ownTerm.environment()).containsEntry("TERM", "vt100");
    }

    @Test
    void malformedPathsAndUsersAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> asRoot.plan(command("true", List.of(), "relative/dir", Map.of(), "", false)))
                .isInstanceOf(RequestException.class).hasMessageContaining("\"relative/dir\"");
        assertThatThrownBy(() -> asRoot.plan(command("true", List.of(), "", Map.of(), "a:b:c", false)))
                .isInstanceOf(RequestException.class).hasMessageContaining("\"a:b:c\"");
        assertThatThrownBy(() -> asRoot.plan(program("", "x")))
                .isInstanceOf(RequestException.class);
    }

    @Test
    void badArgumentsAndVariablesAreNamedByPositionOrKeyNeverByValue() {
        assertThatThrownBy(() -> asRoot.plan(program("true", "a", "-pHUNTER2\0x")))
                .isInstanceOf(RequestException.class).hasMessage("args[1] contains a NUL byte");
        assertThatThrownBy(() -> asRoot.plan(shell("mysql -pHUNTER2\0")))
                .isInstanceOf(RequestException.class).hasMessage("command contains a NUL byte");
        Map<String, String> badKey = new java.util.TreeMap<>(Map.of("A", "1", "B", "2", "TOKEN=HUNTER2", "3"));
        assertThatThrownBy(() -> asRoot.plan(command("true", List.of(), "", badKey, "", false)))
                .isInstanceOf(RequestException.class).hasMessage("env key 2 contains '='");
        assertThatThrownBy(() -> asRoot.plan(command("true", List.of(), "", Map.of("TOKEN", "HUNTER2\0"), "", false)))
                .isInstanceOf(RequestException.class).hasMessage("env TOKEN contains a NUL byte");
    }

    @Test
    void rootRunsOtherUsersThroughSetprivWithTheirIdentity() throws Exception {
        Launcher.Plan plan = asRoot.plan(command("id", List.of(), "", Map.of(), "nobody", false));

        assertThat(plan.argv().getFirst()).endsWith("/setpriv");
        assertThat(plan.argv()).contains("--reuid=65534", "--", "/bin/sh", "-c", "id");
        assertThat(plan.environment()).containsEntry("USER", "nobody").containsEntry("LOGNAME", "nobody")
                .containsKey("HOME").doesNotContainEntry("HOME", "/root");
    }

    @Test
    void uidWithoutPasswdEntryGetsHomeSlashAndNoUserName() throws Exception {
        Launcher.Plan plan = asRoot.plan(command("id", List.of(), "", Map.of(), "54321", false));

        assertThat(plan.argv()).contains("--reuid=54321", "--regid=0");
        assertThat(plan.environment()).containsEntry("HOME", "/").doesNotContainKeys("USER", "LOGNAME");
    }

    @Test
    void nonRootAgentRefusesToSwitchUsersButRunsItsOwn() throws Exception {
        Launcher asNobody = new Launcher(AGENT_ENV, 65534, 65534);

        assertThatThrownBy(() -> asNobody.plan(command("id", List.of(), "", Map.of(), "root", false)))
                .isInstanceOfSatisfying(StartFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(126);
                    assertThat(f.getMessage()).contains("\"root\"", "uid 65534", "only root");
                });
        Launcher.Plan own = asNobody.plan(command("id", List.of(), "", Map.of(), "nobody", false));
        assertThat(own.argv()).containsExactly("/bin/sh", "-c", "id");
    }

    @Test
    void nonRootAgentRefusesAGroupItCannotSetButRunsItsOwn() throws Exception {
        Launcher asNobody = new Launcher(AGENT_ENV, 65534, 65534);

        assertThatThrownBy(() -> asNobody.plan(command("id", List.of(), "", Map.of(), "65534:0", false)))
                .isInstanceOfSatisfying(StartFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(126);
                    assertThat(f.getMessage()).contains("\"65534:0\"", "gid 0", "gid 65534", "only root");
                });
        assertThat(asNobody.plan(command("id", List.of(), "", Map.of(), "65534:65534", false)).argv())
                .containsExactly("/bin/sh", "-c", "id");
        assertThat(asNobody.plan(command("id", List.of(), "", Map.of(), "65534", false)).argv())
                .containsExactly("/bin/sh", "-c", "id");
    }

    @Test
    void unknownUserIs126NamingTheUser() {
        assertThatThrownBy(() -> asRoot.plan(command("id", List.of(), "", Map.of(), "no-such-user-x", false)))
                .isInstanceOfSatisfying(StartFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(126);
                    assertThat(f.getMessage()).contains("\"no-such-user-x\"");
                });
    }
}
