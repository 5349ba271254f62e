package io.vsockexec.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AcceptRetryTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AcceptRetry retry = new AcceptRetry("unix:///run/a.sock", Log.to("agent", log::add));

    @Test
    void anEpisodeOfFailuresIsOneWarningEvenWhenAcceptsSucceedInBetween() {
        for (int i = 0; i < 4; i++) {
            retry.failed(ErrnoException.of("accept", "unix:///run/a.sock", Errno.EMFILE));
            retry.succeeded();
        }
        retry.failed(new OutOfMemoryError("Java heap space"));

        assertThat(log).containsExactly("agent: warning: accept on unix:///run/a.sock failed: EMFILE (Too many open"
                + " files); retrying, with pauses of up to 1s, until it works again");
    }

    @Test
    void aFailureOfOneConnectionIsSkippedWithoutAWarning() {
        retry.failed(ErrnoException.of("accept", "unix:///run/a.sock", Errno.ECONNABORTED));

        assertThat(log).isEmpty();
    }

    @Test
    void pausesDoubleFromTenMillisecondsUpToOneSecond() {
        assertThat(AcceptRetry.pauseNanos(1)).isEqualTo(10_000_000L);
        assertThat(AcceptRetry.pauseNanos(2)).isEqualTo(20_000_000L);
        assertThat(AcceptRetry.pauseNanos(7)).isEqualTo(640_000_000L);
        assertThat(AcceptRetry.pauseNanos(8)).isEqualTo(1_000_000_000L);
        assertThat(AcceptRetry.pauseNanos(1000)).isEqualTo(1_000_000_000L);
    }
}
