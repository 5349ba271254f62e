package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.InvalidEndpointException;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
    @TempDir
    Path dir;

    @Test
    void retriesUntilTheAgentAppears() throws Exception {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("ready.sock"));
        List<IOException> failures = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        try {
            Readiness.await(endpoint, Deadline.after(FakeAgent.PATIENCE), notYet -> {
                failures.add(notYet);
                if (failures.size() == 3) {
                    try {
                        // The agent comes up only after three refused attempts.
                        listeners.add(Transports.listen(endpoint));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        } finally {
            listeners.forEach(Listener::close);
        }
        assertThat(failures).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("ENOENT"));
        assertThat(listeners).hasSize(1);
    }

    @Test
    void aHybridVmThatClosesTheHandshakeIsNotReadyYet() throws Exception {
        Path vm = dir.resolve("vm.sock");
        Endpoint ready = Endpoint.parse("hybrid://" + vm + ":5002");
        List<IOException> failures = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        // The VM's socket exists (its exec port is up), but the readiness port is not listened on yet.
        try (Listener exec = Transports.listen(Endpoint.parse("hybrid://" + vm + ":5000"))) {
            Readiness.await(ready, Deadline.after(FakeAgent.PATIENCE), notYet -> {
                failures.add(notYet);
                if (failures.size() == 2) {
                    try {
                        listeners.add(Transports.listen(ready));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        } finally {
            listeners.forEach(Listener::close);
        }
        assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(HandshakeRefusedException.class));
    }

    @Test
    void deadlineEndsTheWaitWithTheLastReason() {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("never.sock"));
        assertThatThrownBy(() -> Readiness.await(endpoint, Duration.ofMillis(100)))
                .isInstanceOf(NotReadyException.class)
                .hasMessageStartingWith(endpoint + " not ready after 100ms")
                .hasMessageContaining(" attempts): ")
                .hasMessageEndingWith("cannot connect to " + endpoint + ": ENOENT (No such file or directory)")
                .hasCauseInstanceOf(ConnectFailedException.class);
    }

    @Test
    void oneAttemptIsCountedInTheSingular() {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("never.sock"));
        // A deadline that has passed once the first attempt is over: there is no second.
        assertThatThrownBy(() -> Readiness.await(endpoint, Duration.ofNanos(1)))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining(" (1 attempt): ");
    }

    @Test
    void probeAnswersAtOnce() throws Exception {
        Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("probe.sock"));
        assertThat(Readiness.isReady(endpoint, Deadline.after(FakeAgent.PATIENCE))).isFalse();
        try (Listener listener = Transports.listen(endpoint)) {
            assertThat(Readiness.isReady(endpoint, Deadline.after(FakeAgent.PATIENCE))).isTrue();
        }
    }

    @Test
    void malformedEndpointFailsBeforeAnyAttempt() {
        assertThatThrownBy(() -> Readiness.await(Endpoint.parse("unix://relative.sock"), Duration.ofSeconds(1)))
                .isInstanceOf(InvalidEndpointException.class);
    }
}
