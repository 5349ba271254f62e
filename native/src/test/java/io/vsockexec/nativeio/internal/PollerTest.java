package io.vsockexec.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The poller's life: started by the first wait, and quiet (not inside a native call) once the JVM shuts down. */
class PollerTest {
    @Test
    void startsAtTheFirstWaitAndOnceQuietNapsInJavaWhileStillServingWaits() throws Exception {
        String out = ChildJvm.run(List.of(), QuietPollerMain.class);

        assertThat(out.lines().toList()).as(out).isEqualTo(List.of(
                "before any wait: not started",
                "waiting: never parked, read 1 byte",
                "quiet: parked at times, read 1 byte"));
    }
}
