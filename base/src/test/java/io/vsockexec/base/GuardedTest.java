package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class GuardedTest {
    private final ReentrantLock lock = new ReentrantLock();

    @Test
    void runHoldsTheLockWhileTheActionRunsAndLetsGoAfter() {
        boolean[] held = new boolean[1];

        Guarded.run(lock, () -> held[0] = lock.isHeldByCurrentThread());

        assertThat(held[0]).isTrue();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void getReturnsTheValueComputedUnderTheLock() {
        String value = Guarded.get(lock, () -> lock.isHeldByCurrentThread() ? "held" : "not held");

        assertThat(value).isEqualTo("held");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void theLockIsLetGoWhenTheActionThrows() {
        assertThatThrownBy(() -> Guarded.run(lock, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Guarded.get(lock, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(lock.isLocked()).isFalse();
    }
}
