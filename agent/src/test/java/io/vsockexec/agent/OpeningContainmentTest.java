package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Log;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OpeningContainmentTest {
    @Test
    void aSessionWaitsUntilTheContainmentIsOpenAndThenGetsItsContainment() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean shutDown = new AtomicBoolean();
        SessionProcesses processes = new TreeContainment.Session(Log.discard());
        ProcessContainment opened = new ProcessContainment() {
            @Override
            public SessionProcesses forSession(String name) {
                return processes;
            }

            @Override
            public void shutdown() {
                shutDown.set(true);
            }
        };
        OpeningContainment containment = OpeningContainment.start(() -> {
            release.await();
            return opened;
        });
        AtomicReference<SessionProcesses> session = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> session.set(containment.forSession("session 1")));

        caller.join(200);
        assertThat(caller.isAlive()).as("waits while the containment opens").isTrue();
        release.countDown();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(session.get()).isSameAs(processes);
        containment.shutdown();
        assertThat(shutDown).isTrue();
    }

    @Test
    void anInterruptDoesNotEndTheWaitAndStaysSet() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TreeContainment opened = new TreeContainment(Log.discard(), false);
        OpeningContainment containment = OpeningContainment.start(() -> {
            release.await();
            return opened;
        });
        AtomicReference<ProcessContainment> got = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            got.set(containment.opened());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });

        caller.interrupt();
        caller.join(200);
        assertThat(caller.isAlive()).isTrue();
        release.countDown();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(got.get()).isSameAs(opened);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void aFailedOpeningIsReportedToWhoeverNeedsTheContainment() {
        OpeningContainment containment = OpeningContainment.start(() -> {
            throw new IllegalStateException("no /sys/fs/cgroup");
        });

        assertThatThrownBy(() -> containment.forSession("session 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("opening the process containment failed")
                .hasMessageContaining("no /sys/fs/cgroup");
    }
}
