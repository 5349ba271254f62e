package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InputPumpTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void writesChunksInOrderAndEndClosesTheInput() throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (Pipe in = Pipe.toChild("stdin"); Pipe out = Pipe.fromChild("stdout");
                ChildProcess cat = ChildProcess.spawn(SpawnSpec.builder("/bin/cat")
                        .stdin(Stdio.pipe(in)).stdout(Stdio.pipe(out)).build())) {
            OutputRelay relay = new OutputRelay("out", out.parentEnd(), (b, o, n) -> seen.write(b, o, n), e -> { },
                    Log.discard()).start();
            InputPump pump = new InputPump("in", in.parentEnd(), in::close, Log.discard()).start();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                String chunk = "chunk " + i + "\n";
                expected.append(chunk);
                pump.offer(chunk.getBytes());
            }

            pump.end();

            assertThat(cat.waitFor(Deadline.after(PATIENCE))).isEqualTo(ExitStatus.exited(0));
            relay.await(PATIENCE);
            pump.await();
            assertThat(seen.toString()).isEqualTo(expected.toString());
        }
    }

    @Test
    void inputForAProcessThatStoppedReadingIsDroppedWithoutBlocking() throws Exception {
        try (Pipe in = Pipe.toChild("stdin");
                ChildProcess child = ChildProcess.spawn(SpawnSpec.builder("/bin/true").stdin(Stdio.pipe(in)).build())) {
            child.waitFor(Deadline.after(PATIENCE));
            InputPump pump = new InputPump("in", in.parentEnd(), in::close, Log.discard()).start();
            byte[] big = new byte[InputPump.BUDGET];

            // More than the budget twice over: without EPIPE ending the pump, the third offer would block.
            pump.offer(big);
            pump.offer(big);
            pump.offer(big);
            pump.await();
        }
    }

    @Test
    void keepsTheOrderWhenChunksOnlyPartlyFitThePipe() throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (Pipe in = Pipe.toChild("stdin"); Pipe out = Pipe.fromChild("stdout");
                ChildProcess cat = ChildProcess.spawn(SpawnSpec.builder("/bin/cat")
                        .stdin(Stdio.pipe(in)).stdout(Stdio.pipe(out)).build())) {
            in.resize(4096);
            out.resize(4096);
            InputPump pump = new InputPump("in", in.parentEnd(), in::close, Log.discard()).start();
            // Nobody reads cat's output yet, so cat soon stops reading its input: 512 KiB is far
            // more than both pipes and cat's buffer hold, and most chunks fit only in part (or not
            // at all) when offered; what is left of them waits in the queue, within its budget.
            for (int i = 0; i < 32; i++) {
                byte[] chunk = new byte[16 * 1024];
                Arrays.fill(chunk, (byte) i);
                expected.write(chunk);
                pump.offer(chunk.clone());
            }
            OutputRelay relay = new OutputRelay("out", out.parentEnd(), (b, o, n) -> seen.write(b, o, n), e -> { },
                    Log.discard()).start();

            pump.end();

            assertThat(cat.waitFor(Deadline.after(PATIENCE))).isEqualTo(ExitStatus.exited(0));
            relay.await(PATIENCE);
            pump.await();
            assertThat(seen.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }
}
