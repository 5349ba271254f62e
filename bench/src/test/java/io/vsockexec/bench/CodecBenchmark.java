package io.vsockexec.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 7's reference: encode ({@code FrameWriter}) plus decode ({@code FrameReader}) of one Stdout
 * frame, per payload size. Run it with {@code scripts/jmh} (which adds {@code -prof gc} for the
 * bytes allocated per frame, {@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBenchmark {
    @Param({"16", "65536"})
    public int payloadBytes;

    private CodecCost.Loop loop;

    /** For JMH, which makes one per thread. */
    public CodecBenchmark() {}

    @Setup
    public void setUp() {
        loop = new CodecCost.Loop(payloadBytes);
    }

    /** One encode and one decode of a Stdout frame; returns the payload's length so the work is kept. */
    @Benchmark
    public int encodeDecodeStdoutFrame() throws IOException {
        return loop.roundTrip();
    }
}
