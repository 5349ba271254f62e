package io.vsockexec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Row 10: the agent's peak memory under the abuse mix ({@link AbuseMix}), against the ceiling of
 * the smallest guest it must fit. A fresh agent, started as users start it (the launcher's
 * defaults), so that the peak is the mix's alone; every legitimate request must be answered.
 */
final class AbuseRow {
    /** The guest the agent must fit: 128 MiB, for everything. */
    static final long PEAK_RSS_LIMIT_KIB = 128 * 1024;
    static final String MEASUREMENT = "agent peak RSS under the abuse mix";
    static final String TARGET_TEXT = "peak RSS (VmHWM) <= " + Figures.size(PEAK_RSS_LIMIT_KIB * 1024)
            + "; every legitimate request answered";

    private AbuseRow() {}

    static Row measure(List<String> agentCommand, BenchTransport transport, Path dir, AbuseMix.Sizes sizes,
            Consumer<String> progress) throws IOException, InterruptedException {
        try (AgentProcess agent = AgentProcess.start(agentCommand, transport, dir, 0)) {
            agent.awaitReady();
            AbuseMix.Result r = AbuseMix.run(agent.endpoint(), agent.pid(), sizes, progress);
            String figure = r.summary() + (r.failures().isEmpty() ? "" : "; first failure: " + r.failures().getFirst());
            Verdict verdict = Verdict.all(Verdict.atMost(r.peakRssKib(), PEAK_RSS_LIMIT_KIB),
                    Verdict.of(r.failures().isEmpty()));
            return new Row(10, MEASUREMENT, figure, Row.NONE, Row.NONE, TARGET_TEXT, verdict);
        }
    }
}
