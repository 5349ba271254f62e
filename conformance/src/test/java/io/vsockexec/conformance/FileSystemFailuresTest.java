package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.client.RemoteFile;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.nativeio.Users;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File requests that the file system refuses, each against an agent process set up for it: a disk
 * that fills up (a 1 MiB tmpfs in a mount namespace of the agent's own) and permissions that
 * deny (an agent that runs as root has the capabilities that bypass them dropped first). Each
 * answer is the system's reason in Go's words, and nothing is left half-written.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FileSystemFailuresTest {
    @TempDir
    Path dir;

    private Endpoint exec;

    private AgentProcess start(List<String> prefix) throws IOException {
        exec = Endpoint.parse("unix://" + dir.resolve("exec.sock"));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(AgentProcessSuite.agentCommand());
        AgentProcess agent = AgentProcess.start(command, List.of(exec), Endpoint.parse("unix://" + dir.resolve("ready.sock")),
                AgentProcessSuite.AGENT_OPTIONS, dir.resolve("agent.log"), env -> { });
        try {
            agent.awaitReady();
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    @Test
    void aDiskThatFillsUpFailsTheWriteAndLeavesTheOldFileAsItWas() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        List<String> namespace = smallDiskAt(small);
        assumeTrue(works(namespace, "true"), "no mount namespace with a tmpfs here (unshare): " + namespace);
        try (AgentProcess agent = start(namespace)) {
            VsockExecClient vm = VsockExecClient.of(exec);
            String keep = small.resolve("keep").toString();
            vm.writeFile(keep, "old content".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> vm.writeFile(keep, new byte[2 << 20]))
                    .isInstanceOfSatisfying(RemoteFileException.class, e -> assertThat(e.remoteError())
                            .isEqualTo("write " + keep + ": no space left on device"));

            assertThat(new String(vm.readFile(keep), StandardCharsets.UTF_8)).isEqualTo("old content");
            assertThat(vm.list(small.toString())).extracting(RemoteFile::name).containsExactly("keep");
            vm.writeFile(small.resolve("fits").toString(), new byte[100_000]);
        }
    }

    @Test
    void deniedPermissionsAreReportedAndNothingIsWritten() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path secret = Files.writeString(dir.resolve("secret"), "s");
        Path closed = Files.createDirectory(dir.resolve("closed"));
        List<String> prefix = Users.effectiveUid() == 0
                ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search") : List.of();
        assumeTrue(prefix.isEmpty() || works(prefix, "true"), "cannot drop capabilities here: " + prefix);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try (AgentProcess agent = start(prefix)) {
            VsockExecClient vm = VsockExecClient.of(exec);

            assertRemoteError(() -> vm.writeFile(locked.resolve("x").toString(), new byte[1]),
                    "open " + locked.resolve("x") + ": permission denied");
            assertRemoteError(() -> vm.readFile(secret.toString()), "open " + secret + ": permission denied");
            assertRemoteError(() -> vm.list(closed.toString()), "open " + closed + ": permission denied");
            assertRemoteError(() -> vm.writeFile(closed.resolve("sub/x").toString(), new byte[1]),
                    "mkdir " + closed.resolve("sub") + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
        try (var entries = Files.list(locked)) {
            assertThat(entries).isEmpty();
        }
    }

    /** A call that must fail with the agent's {@code reason}. */
    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static void assertRemoteError(Call call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RemoteFileException.class,
                e -> assertThat(e.remoteError()).isEqualTo(reason));
    }

    /**
     * The prefix that runs a command in a mount namespace of its own with a 1 MiB tmpfs at
     * {@code at}: as root directly, as another user in a user namespace where it is root.
     */
    private static List<String> smallDiskAt(Path at) {
        List<String> prefix = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
        if (Users.effectiveUid() != 0) {
            prefix.add("--map-root-user");
        }
        prefix.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"", at.toString()));
        return prefix;
    }

    /** Whether {@code prefix} then {@code command} runs and exits 0 here. */
    private static boolean works(List<String> prefix, String command) throws InterruptedException {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(command);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
