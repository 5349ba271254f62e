package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.nativeio.Users;
import io.vsockexec.protocol.Bytes;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent process cannot honour it refuses, and its refusals name the place of a bad
 * value, never the value: an argument or a variable may be a password.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RefusalsWithoutSecretsTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    @Test
    void aNonRootAgentRefusesAGroupItCannotSetWith126AndRunsItsOwn() throws Exception {
        assumeTrue(Users.effectiveUid() == 0, "starting an agent as another user needs root");
        // The agent runs as nobody: its sockets, and the jars it loads, must be where nobody can reach.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sockets = Files.createDirectory(dir.resolve("sockets"));
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--"));
        asNobody.addAll(readableCommand());
        try (ExposedAgent agent = ExposedAgent.start(asNobody, sockets, "non-root-agent")) {
            ExecResponse refused = FrameClient.exec(agent.unix, new ExecRequest("id", List.of("-g"), null, null, null,
                    NOBODY + ":0"));
            ExecResponse own = FrameClient.exec(agent.unix, new ExecRequest("id", List.of("-g"), null, null, null,
                    NOBODY + ":" + NOBODY));

            assertThat(refused.exitCode()).isEqualTo(126);
            assertThat(refused.stderr().utf8Text()).isEqualTo("vsockexec: cannot run as user \""
                    + NOBODY + ":0\" with gid 0: the agent runs as gid " + NOBODY + ", and only root may switch groups\n");
            assertThat(refused.stdout()).isEqualTo(Bytes.EMPTY);
            assertThat(own.exitCode()).isZero();
            assertThat(own.stdout().utf8Text()).isEqualTo(NOBODY + "\n");
        }
    }

    @Test
    void badArgumentsAndVariablesAreNamedByPositionOrKeyInTheReplyAndTheLogNeverByValue() throws Exception {
        try (ExposedAgent agent = ExposedAgent.start(dir, "secrets-in-bad-requests")) {
            Map<String, String> badKey = new TreeMap<>(Map.of("A", "1", "TOKEN=HUNTER2", "x"));

            ExecResponse arg = FrameClient.exec(agent.unix,
                    new ExecRequest("echo", List.of("ok", "-pHUNTER2\u0000"), null, null, null, null));
            ExecResponse shell = FrameClient.exec(agent.unix, ExecRequest.of("mysql -pHUNTER2\u0000"));
            ExecResponse key = FrameClient.exec(agent.unix, new ExecRequest("true", null, null, badKey, null, null));
            ExecResponse value = FrameClient.exec(agent.unix,
                    new ExecRequest("true", null, null, Map.of("TOKEN", "HUNTER2\u0000"), null, null));

            assertThat(arg.error()).isEqualTo("args[1] contains a NUL byte");
            assertThat(shell.error()).isEqualTo("command contains a NUL byte");
            assertThat(key.error()).isEqualTo("env key 1 contains '='");
            assertThat(value.error()).isEqualTo("env TOKEN contains a NUL byte");
            // A session's line is logged once its connection has ended, in whatever order they end.
            agent.awaitLog("args[1] contains a NUL byte");
            agent.awaitLog("command contains a NUL byte");
            agent.awaitLog("env key 1 contains '='");
            agent.awaitLog("env TOKEN contains a NUL byte");
            assertThat(agent.log()).doesNotContain("HUNTER2");
        }
    }

    /**
     * The agent's command line with every class-path entry under {@code /root} (the Maven
     * repository, which only root may read) copied to a directory anyone may read.
     */
    private List<String> readableCommand() throws Exception {
        Path jars = Files.createDirectory(dir.resolve("jars"));
        List<String> command = new ArrayList<>(AgentProcessSuite.agentCommand());
        int cp = command.indexOf("-cp") + 1;
        List<String> entries = new ArrayList<>();
        for (String entry : command.get(cp).split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.startsWith("/root/") && Files.isRegularFile(p)) {
                p = Files.copy(p, jars.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            entries.add(p.toString());
        }
        command.set(cp, String.join(File.pathSeparator, entries));
        return command;
    }
}
