package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.copy.TarExtraction;
import io.vsockexec.protocol.DataFrameOutput;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A copy's buffer is taken from the agent's budget while the copy runs, and never exceeds what one holder may claim. */
class CopyBufferTest {

    @Test
    void aCopysBufferIsReservedFromTheBudgetAndGivenBackAtItsEnd() throws Exception {
        MemoryBudget budget = new MemoryBudget(1 << 20, 512 << 10);
        int chunk = CopyHandler.bufferSize(budget, DataFrameOutput.CHUNK);
        assertThat(chunk).isEqualTo(DataFrameOutput.CHUNK);

        MemoryBudget.Account out = CopyHandler.reserveBuffer(budget, chunk, Deadline.none());
        MemoryBudget.Account in = CopyHandler.reserveBuffer(budget, TarExtraction.BUFFER, Deadline.none());
        assertThat(budget.inUse()).isEqualTo(chunk + TarExtraction.BUFFER);
        out.close();
        in.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aCopyWaitsForMemoryWhileOthersHoldTheBudget() throws Exception {
        MemoryBudget budget = new MemoryBudget(512 << 10, 512 << 10);
        MemoryBudget.Account others = budget.account();
        others.reserve(400 << 10);

        assertThatThrownBy(() -> CopyHandler.reserveBuffer(budget, DataFrameOutput.CHUNK,
                Deadline.after(Duration.ofMillis(50)))).isInstanceOf(SocketTimeoutException.class);
        assertThat(budget.inUse()).isEqualTo(400 << 10);
        others.close();
        CopyHandler.reserveBuffer(budget, DataFrameOutput.CHUNK, Deadline.after(Duration.ofMinutes(1))).close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aSmallBudgetGetsASmallerBuffer() {
        MemoryBudget budget = new MemoryBudget(1 << 20, 100_000);
        assertThat(CopyHandler.bufferSize(budget, DataFrameOutput.CHUNK)).isEqualTo(100_000);
    }
}
