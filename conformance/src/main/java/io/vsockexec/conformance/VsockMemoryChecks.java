package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.AbuseMix;
import io.vsockexec.bench.ProcessMemory;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent as a 128 MiB guest holds it, inside user-mode Linux: {@code scripts/vsock-e2e} starts
 * it with the launcher's defaults in a memory cgroup of {@code memory.max=128M} (the suite's
 * clients outside it), and after the conformance suite has run, the whole abuse mix
 * ({@link AbuseMix.Sizes#full()}) must leave every legitimate request answered, no out-of-memory
 * kill in the cgroup, no {@code OutOfMemoryError} in the agent, and its peak RSS under the
 * ceiling. The figures go to the console as a line starting {@value #FIGURES}, which the script
 * prints. Run last: it needs the agent's pid and log ({@link AgentUnderTest}).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
public class VsockMemoryChecks {
    /** The start of the figures' line on the console. */
    static final String FIGURES = "vsock-e2e memory: ";
    private static final long CEILING = 128L << 20;
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final long pid = Long.parseLong(AgentUnderTest.required(AgentUnderTest.AGENT_PID_PROPERTY, "1234"));
    private final Path log = Path.of(AgentUnderTest.required(AgentUnderTest.AGENT_LOG_PROPERTY, "/tmp/agent.log"));
    private final Endpoint exec = Endpoint.parse(AgentUnderTest.required(AgentUnderTest.EXEC_PROPERTY, "vsock://1:5000"));

    @Test
    void theAgentServesTheAbuseMixInA128MebibyteMemoryCgroup() throws Exception {
        Path cgroup = memoryCgroup();
        assertThat(Files.readString(cgroup.resolve("memory.max")).trim()).as("memory.max of " + cgroup)
                .isEqualTo(String.valueOf(CEILING));

        Thread heartbeat = Thread.ofVirtual().name("abuse heartbeat").start(this::heartbeat);
        AbuseMix.Result mix;
        try {
            mix = AbuseMix.run(exec, pid, AbuseMix.Sizes.full(), System.out::println);
        } finally {
            heartbeat.interrupt();
        }
        long peak = ProcessMemory.peakRssKib(pid);
        long ooms = event(cgroup, "oom_kill");
        System.out.printf(Locale.ROOT, "%sagent peak RSS (VmHWM) %.1f MiB, cgroup peak %s, cgroup OOM kills %d;"
                + " abuse mix: %s%n", FIGURES, peak / 1024.0, cgroupPeak(cgroup), ooms, mix.summary());

        // Resets are printed apart, as a figure: they were the symptom of the SDK taking a connect
        // still under way for one made (docs/TESTING.md), and they fail the check like any other.
        List<String> lost = mix.failures().stream().filter(VsockMemoryChecks::resetByTheKernel).toList();
        System.out.printf(Locale.ROOT, "%s%d legitimate requests' connections reset (ECONNRESET, ENOTCONN), first: %s%n",
                FIGURES, lost.size(), lost.isEmpty() ? "-" : lost.getFirst());
        assertThat(mix.failures()).as("legitimate requests answered wrongly, refused or reset").isEmpty();
        assertThat(ooms).as("out-of-memory kills in " + cgroup).isZero();
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        assertThat(peak << 10).as("the agent's peak RSS in bytes").isLessThanOrEqualTo(CEILING);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the agent is alive").contains(true);
    }

    /**
     * A console line every {@link #HEARTBEAT} while the mix runs: the script takes a silent
     * console for a stuck run, and the mix's parts run for minutes on a loaded machine.
     */
    private void heartbeat() {
        try {
            while (true) {
                Thread.sleep(HEARTBEAT.toMillis());
                System.out.printf(Locale.ROOT, "  abuse mix running: agent RSS %.1f MiB%n",
                        ProcessMemory.rssKib(pid) / 1024.0);
            }
        } catch (InterruptedException | IOException e) {
            // the mix is over, or the agent is gone (which the test reports)
        }
    }

    /**
     * The cgroup the agent was started in, where cgroup2 is mounted at /sys/fs/cgroup (the script
     * mounts it there): the parent of the leaf of its own that the agent moves into.
     */
    private Path memoryCgroup() throws IOException {
        String own = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup")).stream()
                .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst()
                .orElseThrow(() -> new IOException("the agent has no cgroup v2 line (0::PATH) in /proc/PID/cgroup"));
        Path dir = Path.of("/sys/fs/cgroup" + own);
        return dir.getFileName().toString().startsWith("vsockexec-agent-") ? dir.getParent() : dir;
    }

    private static boolean resetByTheKernel(String failure) {
        return failure.contains("ConnectFailedException") && failure.contains("ECONNRESET")
                || failure.contains("ConnectionLostException") && failure.contains("ENOTCONN");
    }

    /** A count of {@code memory.events}, e.g. {@code oom_kill}. */
    private static long event(Path cgroup, String name) throws IOException {
        for (String line : Files.readAllLines(cgroup.resolve("memory.events"))) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The cgroup's peak memory (agent, commands, their page cache), where the kernel keeps it. */
    private static String cgroupPeak(Path cgroup) throws IOException {
        Path peak = cgroup.resolve("memory.peak");
        if (!Files.exists(peak)) {
            return "not kept by this kernel";
        }
        return String.format(Locale.ROOT, "%.1f MiB", Long.parseLong(Files.readString(peak).trim()) / 1048576.0);
    }
}
