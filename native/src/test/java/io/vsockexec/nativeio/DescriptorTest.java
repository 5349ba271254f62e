package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptorTest {
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
