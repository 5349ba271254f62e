package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void timedOutNamesTheOperationAndTheBudget() {
        assertThat(Deadline.after(Duration.ofMillis(1500)).timedOut("read vsock://3:5000"))
                .hasMessage("read vsock://3:5000: timed out after 1.5s");
    }

    @Test
    void timedOutWithoutADeadlineNamesNoBudget() {
        assertThat(Deadline.none().timedOut("wait for process 7 (sleep)"))
                .hasMessage("wait for process 7 (sleep): timed out");
    }
}
