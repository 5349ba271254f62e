package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole benchmark, end to end, at the tiny sizes: every measurement runs against real agent
 * processes and yields its row. Whether a target holds is a matter of the machine, so only what
 * does not depend on speed is checked.
 */
class BenchSmokeTest {
    @Test
    void everyMeasurementRunsAndTheTableHasRowsOneToEightAndTenToFourteen() throws Exception {
        List<String> cli = JavaCommand.of(TestCliMain.class.getName());
        List<String> agent = new ArrayList<>(cli);
        agent.add("agent");
        List<String> progress = new ArrayList<>();

        ResultTable table = Benchmark.run(new Benchmark.Config(BenchTransport.UNIX, BenchSizes.tiny(), agent, cli,
                progress::add));

        assertThat(table.rows()).extracting(Row::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14);
        assertThat(table.rows()).allSatisfy(r -> assertThat(r.figure()).doesNotStartWith("failed"));
        Row concurrent = table.rows().get(3);
        assertThat(concurrent.figure()).startsWith("8/8 outputs exact");
        assertThat(table.rows().get(6).verdict()).isEqualTo(Verdict.REPORTED);
        assertThat(table.rows().get(7).figure()).startsWith("exec: median ").contains("CPU; --version: median ");
        assertThat(table.rows().get(7).baseline()).startsWith("JVM floor");
        assertThat(table.rows().get(8).figure()).startsWith("peak RSS ").contains(" 0 failed");
        assertThat(table.rows().get(9).baseline()).startsWith("same bytes relayed raw over TCP, unix, TCP");
        assertThat(table.rows().get(12).figure()).contains("cp peak RSS ").contains("agent peak RSS ");
        assertThat(table.markdown().lines()).hasSize(15);
        assertThat(progress).anyMatch(line -> line.startsWith("bench: row 1"));
    }
}
