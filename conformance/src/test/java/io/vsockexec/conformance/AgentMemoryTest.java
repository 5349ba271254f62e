package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.AgentProcess;
import io.vsockexec.bench.JavaCommand;
import io.vsockexec.client.ClientOptions;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 16 MiB file goes through the agent without the agent holding its frame: an agent with a
 * 48 MiB heap writes and reads several such files at once. Each frame is 22 MB in base64; an
 * agent that held one frame per request, or the decoded file, would run out of memory with three.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AgentMemoryTest {
    private static final int FILES = 3;
    private static final int SIZE = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void sixteenMebibyteFilesAtOnceFitAnAgentWithA48MebibyteHeap() throws Exception {
        Endpoint exec = Endpoint.parse("unix://" + dir.resolve("exec.sock"));
        Endpoint ready = Endpoint.parse("unix://" + dir.resolve("ready.sock"));
        List<String> command = new ArrayList<>(JavaCommand.of("io.vsockexec.cli.Main", "-Xmx48m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        command.add("agent");
        try (AgentProcess agent = AgentProcess.start(command, List.of(exec), ready, List.of(), dir.resolve("agent.log"),
                env -> { });
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            agent.awaitReady();
            VsockExecClient vm = VsockExecClient.of(exec, ClientOptions.defaults().withCallTimeout(Duration.ofMinutes(2)));
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                byte[] b = new byte[SIZE];
                new Random(i).nextBytes(b);
                contents.add(b);
            }

            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                int n = i;
                writes.add(threads.submit(() -> {
                    vm.writeFile(file(n), contents.get(n), 0644);
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                int n = i;
                reads.add(threads.submit(() -> sha256(vm.readFile(file(n)))));
            }

            for (int i = 0; i < FILES; i++) {
                assertThat(reads.get(i).get()).as("file %d", i).isEqualTo(sha256(contents.get(i)));
            }
            assertThat(agent.process().isAlive()).as("the agent is alive: " + agent.logTail()).isTrue();
        }
    }

    private String file(int n) {
        return dir.resolve("f" + n + ".bin").toString();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
