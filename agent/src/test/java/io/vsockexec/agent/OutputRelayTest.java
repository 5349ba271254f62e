package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputRelayTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static ChildProcess spawn(Pipe out, String script) throws IOException {
        return ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", script).stdout(Stdio.pipe(out)).build());
    }

    @Test
    void relaysEverythingInOrderUntilEndOfFile() throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (Pipe out = Pipe.fromChild("stdout"); ChildProcess child = spawn(out, "seq 1 20000")) {
            OutputRelay relay = new OutputRelay("test", out.parentEnd(), (b, o, n) -> seen.write(b, o, n), e -> { },
                    Log.discard()).start();

            assertThat(relay.await(PATIENCE)).isTrue();
            assertThat(relay.reachedEnd()).isTrue();
            assertThat(child.waitFor(Deadline.after(PATIENCE))).isEqualTo(ExitStatus.exited(0));
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 20000; i++) {
            expected.append(i).append('\n');
        }
        assertThat(seen.toString()).isEqualTo(expected.toString());
    }

    @Test
    void finishWakesARelayWaitingOnAPipeThatABackgroundProcessHoldsOpen() throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CountDownLatch first = new CountDownLatch(1);
        try (Pipe out = Pipe.fromChild("stdout"); ChildProcess child = spawn(out, "echo first; exec sleep 30")) {
            OutputRelay relay = new OutputRelay("test", out.parentEnd(), (b, o, n) -> {
                seen.write(b, o, n);
                first.countDown();
            }, e -> { }, Log.discard()).start();
            first.await();

            relay.finish();

            assertThat(relay.await(PATIENCE)).isTrue();
            assertThat(relay.reachedEnd()).isFalse();
            assertThat(seen.toString()).isEqualTo("first\n");
            child.signal(Signals.SIGKILL);
            child.waitFor(Deadline.after(PATIENCE));
        }
    }

    @Test
    void finishWhileTheSinkIsBlockedLosesNothingThatWasInThePipe() throws Exception {
        AtomicLong delivered = new AtomicLong();
        CountDownLatch sinkEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // 60000 bytes fit in the pipe: the command has written them all once it reports on stderr.
        try (Pipe out = Pipe.fromChild("stdout"); Pipe err = Pipe.fromChild("stderr");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c",
                                "head -c 60000 /dev/zero; echo written >&2; exec sleep 30")
                        .stdout(Stdio.pipe(out)).stderr(Stdio.pipe(err)).build())) {
            OutputRelay relay = new OutputRelay("test", out.parentEnd(), (b, o, n) -> {
                sinkEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted in the sink: the relay must never be");
                }
                delivered.addAndGet(n);
            }, e -> { }, Log.discard()).start();
            sinkEntered.await();
            byte[] note = new byte[16];
            assertThat(err.parentEnd().read(note, 0, note.length, Deadline.after(PATIENCE))).isPositive();

            relay.finish(); // the drain timeout passed while the host was slow
            release.countDown();

            assertThat(relay.await(PATIENCE)).isTrue();
            child.signal(Signals.SIGKILL);
            child.waitFor(Deadline.after(PATIENCE));
        }
        assertThat(delivered.get()).isEqualTo(60000);
    }

    @Test
    void aFailedSinkIsReportedOnceAndThePipeIsStillDrained() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        try (Pipe out = Pipe.fromChild("stdout"); ChildProcess child = spawn(out, "head -c 1000000 /dev/zero")) {
            OutputRelay relay = new OutputRelay("test", out.parentEnd(), (b, o, n) -> {
                throw new IOException("host went away");
            }, e -> failures.incrementAndGet(), Log.discard()).start();

            assertThat(child.waitFor(Deadline.after(PATIENCE))).isEqualTo(ExitStatus.exited(0));
            assertThat(relay.await(PATIENCE)).isTrue();
            assertThat(relay.reachedEnd()).isTrue();
        }
        assertThat(failures.get()).isEqualTo(1);
    }
}
