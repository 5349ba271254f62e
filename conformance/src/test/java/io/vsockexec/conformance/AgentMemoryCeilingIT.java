package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.bench.AbuseMix;
import io.vsockexec.bench.AgentProcess;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's memory ceiling, against an agent started as users start it: the installed launcher
 * ({@code cli/target/bin/vsockexec agent}) with its defaults, so a 96 MiB ceiling and the JVM
 * settings {@code lib/agent-jvm.sh} derives from it. Through the probes of issue 18 (rounds of
 * buffered output larger than a reply, stderr behind 20 MiB of stdout, then the abuse mix with
 * its 16 concurrent buffered execs of 12 MB, idle and junk connections and oversized headers) the
 * agent's peak RSS stays within a 128 MiB guest, every legitimate request is answered, and once
 * the last request is over the agent's RSS comes back to within 16 MiB of what it was before the
 * first one. The figures are printed for docs/AGENT.md.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AgentMemoryCeilingIT {
    private static final long MIB_KIB = 1024;
    /** The smallest guest the agent must fit, for everything. */
    private static final long CEILING_KIB = 128 * MIB_KIB;
    /** How far above its baseline the agent's RSS may stay once a burst is over. */
    private static final long RETURN_MARGIN_KIB = 16 * MIB_KIB;
    /**
     * The issue asks for 15 s; this only bounds the poll on a loaded machine (the time it took is
     * printed, never asserted).
     */
    private static final Duration RETURN_PATIENCE = Duration.ofMinutes(2);
    /** After readiness, the JVM hands its start-up scratch memory back (JIT arenas go back every 5 s). */
    private static final Duration SETTLE = Duration.ofSeconds(7);
    /** The probes, less the parts other tests already push (1,000 idle connections, 1,000 piped sessions). */
    private static final AbuseMix.Sizes PROBES = new AbuseMix.Sizes(300, 300, 40, 16, 12_000_000, 200, 16, true);

    @TempDir
    Path dir;

    @Test
    void theAgentStaysWithinA128MebibyteGuestAndGivesItsMemoryBackAfterTheLastRequest() throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("cli/target/bin/vsockexec");
        assertThat(launcher).as("the installed launcher (module cli packages it)").isExecutable();
        try (ExposedAgent agent = ExposedAgent.start(List.of(launcher.toString(), "agent"), dir, "memory-ceiling")) {
            AgentProcess process = agent.process();
            Thread.sleep(SETTLE.toMillis());
            long baseline = process.rssKib();

            for (int round = 0; round < 4; round++) {
                assertThat(exec(agent, "head -c 11534336 /dev/zero").stdout().length()).isEqualTo(11 << 20);
                assertThat(exec(agent, "head -c 20971520 /dev/zero").error()).contains(" bytes of stdout (");
            }
            ExecResponse both = exec(agent, "head -c 20971520 /dev/zero; echo err >&2");
            assertThat(both.stderr().utf8Text()).isEqualTo("err\n");
            assertThat(both.error()).contains("all 4 bytes of stderr").contains(" dropped)");

            AbuseMix.Result mix = AbuseMix.run(agent.unix, process.pid(), PROBES, System.out::println);
            long peak = process.peakRssKib();
            long afterLast = System.nanoTime();
            long returned = awaitRss(process, baseline + RETURN_MARGIN_KIB);
            double seconds = (System.nanoTime() - afterLast) / 1e9;
            System.out.printf(Locale.ROOT, "agent memory: baseline RSS %.1f MiB, peak RSS (VmHWM) %.1f MiB,"
                    + " back to %.1f MiB %.1f s after the last request; abuse mix: %s%n", baseline / 1024.0,
                    peak / 1024.0, returned / 1024.0, seconds, mix.summary());

            assertThat(mix.failures()).as("legitimate requests not answered correctly").isEmpty();
            assertThat(peak).as("peak RSS in KiB; the agent's log: %s", agent.log()).isLessThanOrEqualTo(CEILING_KIB);
            assertThat(returned).as("RSS in KiB %s after the last request (baseline %d KiB)", RETURN_PATIENCE,
                    baseline).isLessThanOrEqualTo(baseline + RETURN_MARGIN_KIB);
            assertThat(agent.log()).doesNotContain("OutOfMemoryError");
        }
    }

    private static ExecResponse exec(ExposedAgent agent, String command) throws IOException {
        ExecResponse r = FrameClient.exec(agent.unix, ExecRequest.of(command));
        assertThat(r.exitCode()).as("exit code of %s: %s", command, r.error()).isZero();
        return r;
    }

    /** The agent's RSS once it is at most {@code limitKib}, or what it is when the patience runs out. */
    private static long awaitRss(AgentProcess process, long limitKib) throws IOException, InterruptedException {
        Deadline deadline = Deadline.after(RETURN_PATIENCE);
        long rss = process.rssKib();
        while (rss > limitKib && !deadline.hasPassed()) {
            Thread.sleep(200);
            rss = process.rssKib();
        }
        return rss;
    }
}
