package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptorTest {
    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void awaitReadableReportsOnlyTheDescriptorsThatAreReady(boolean virtual) throws Exception {
        try (Pipe quiet = Pipe.fromChild("quiet stdout"); Pipe talking = Pipe.fromChild("talking stdout");
                ChildProcess sleeper = spawn("exec sleep 30", quiet);
                ChildProcess printer = spawn("printf abc", talking)) {
            int ready = on(virtual, () -> Descriptor.awaitReadable(ProcessTesting.patience(),
                    quiet.parentEnd(), talking.parentEnd()));
            assertThat(ready).isEqualTo(0b10);
            stop(sleeper);
            printer.waitFor(ProcessTesting.patience());
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void awaitReadableReturnsZeroOnceTheDeadlinePasses(boolean virtual) throws Exception {
        try (Pipe quiet = Pipe.fromChild("quiet stdout"); ChildProcess sleeper = spawn("exec sleep 30", quiet)) {
            int ready = on(virtual, () -> Descriptor.awaitReadable(Deadline.after(Duration.ofMillis(50)),
                    quiet.parentEnd()));
            assertThat(ready).isZero();
            stop(sleeper);
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void closingADescriptorEndsAWaitForIt(boolean virtual) throws Exception {
        try (Pipe quiet = Pipe.fromChild("quiet stdout"); ChildProcess sleeper = spawn("exec sleep 30", quiet)) {
            CompletableFuture<Integer> waiting = new CompletableFuture<>();
            Thread waiter = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                try {
                    waiting.complete(Descriptor.awaitReadable(Deadline.none(), quiet.parentEnd()));
                } catch (Throwable t) {
                    waiting.completeExceptionally(t);
                }
            });
            while (!waiting.isDone() && !isWaitingForReadiness(waiter)) {
                Thread.onSpinWait();
            }
            quiet.parentEnd().close();
            assertThatThrownBy(() -> waiting.get(ProcessTesting.patience().remainingNanos(), TimeUnit.NANOSECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isExactlyInstanceOf(AsynchronousCloseException.class);
            stop(sleeper);
        }
    }

    @Test
    void awaitReadableTakesOneToThirtyTwoDescriptors() throws Exception {
        assertThatThrownBy(() -> Descriptor.awaitReadable(Deadline.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("awaitReadable takes 1 to 32 descriptors, got 0");
        try (Pipe pipe = Pipe.fromChild("any")) {
            Descriptor[] many = new Descriptor[33];
            java.util.Arrays.fill(many, pipe.parentEnd());
            assertThatThrownBy(() -> Descriptor.awaitReadable(Deadline.none(), many))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("awaitReadable takes 1 to 32 descriptors, got 33");
        }
    }

    /** True once {@code t} is inside the wait (in poll(2) or parked), not before it or after. */
    private static boolean isWaitingForReadiness(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getMethodName().equals("pollUntilReady") || frame.getMethodName().equals("parkUntilReadable")) {
                return true;
            }
        }
        return false;
    }

    private static ChildProcess spawn(String script, Pipe stdout) throws Exception {
        return ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", script)
                .environment(ProcessTesting.ENV).stdout(Stdio.pipe(stdout)).build());
    }

    private static void stop(ChildProcess child) throws Exception {
        child.signal(Signals.SIGKILL);
        child.waitFor(ProcessTesting.patience());
    }

    /** Runs {@code call} on a new thread of the given kind and returns its result. */
    static <T> T on(boolean virtual, Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).join();
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Test
    void readAvailableReturnsZeroWhileTheWriterIsQuiet() throws Exception {
        try (Pipe out = Pipe.fromChild("quiet stdout");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "exec sleep 30")
                        .environment(ProcessTesting.ENV).stdout(Stdio.pipe(out)).build())) {
            // A read that waited would return -1 once the sleep ended (end of stream), never 0.
            assertThat(out.parentEnd().readAvailable(new byte[16], 0, 16)).isZero();
            child.signal(Signals.SIGKILL);
            child.waitFor(ProcessTesting.patience());
        }
    }

    @Test
    void readAvailableReturnsWhatIsThereThenEndOfStream() throws Exception {
        try (Pipe out = Pipe.fromChild("printf stdout");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "printf abc")
                        .environment(ProcessTesting.ENV).stdout(Stdio.pipe(out)).build())) {
            child.waitFor(ProcessTesting.patience());
            byte[] buffer = new byte[16];
            assertThat(out.parentEnd().readAvailable(buffer, 0, buffer.length)).isEqualTo(3);
            assertThat(new String(buffer, 0, 3)).isEqualTo("abc");
            assertThat(out.parentEnd().readAvailable(buffer, 0, buffer.length)).isEqualTo(-1);
        }
    }

    @Test
    void writeAvailableWritesWhatFitsThenZeroWhileTheReaderIsQuiet() throws Exception {
        try (Pipe in = Pipe.toChild("quiet stdin");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/sh", "-c", "exec sleep 30")
                        .environment(ProcessTesting.ENV).stdin(Stdio.pipe(in)).build())) {
            int capacity = in.resize(4096);
            // A write that waited would block until the sleep ended and then fail with EPIPE.
            assertThat(in.parentEnd().writeAvailable(new byte[capacity + 100], 0, capacity + 100)).isEqualTo(capacity);
            assertThat(in.parentEnd().writeAvailable(new byte[10], 0, 10)).isZero();
            child.signal(Signals.SIGKILL);
            child.waitFor(ProcessTesting.patience());
        }
    }
}
