package io.vsockexec.bench;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.Command;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rows 2 and 3: bulk output and bulk input through the agent, against a plain relay of the same
 * bytes over the same transport, in this process: no framing, no JSON, one 64 KiB buffer, the
 * same native pipes and sockets. Each thread of a baseline is of the kind that does its part in
 * the agent or the SDK: the relay between pipe and connection runs on a virtual thread, as the
 * agent's relays and connection readers do; the host's side runs on the calling (platform)
 * thread or a virtual thread as the SDK's does. The kinds wait differently (see
 * {@code Descriptor}), so the ratio is the protocol's cost, not a thread kind's. After a warm-up
 * round of each, the two alternate (baseline, agent, baseline, agent, ...) for five rounds and
 * each figure is the median of its five, so that neither a burst of load elsewhere nor a lucky
 * placement of threads on cores decides a ratio.
 */
final class Throughput {
    static final double TARGET = 0.85;
    static final String TARGET_TEXT = ">= " + TARGET;
    /** The plain relay's buffer: as much as a default pipe holds. */
    static final int RELAY_BUFFER = 64 * 1024;
    /** Measured rounds of each; the figure is the median. */
    private static final int ROUNDS = 5;
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private Throughput() {}

    /** Row 2: {@code head -c N /dev/zero} streamed to a client that discards it. */
    static Row stream(VsockExecClient client, BenchSizes sizes, BenchTransport transport, Path dir) throws IOException {
        long bytes = sizes.streamBytes();
        return alternate(2, "stream throughput: `head -c " + Figures.size(bytes) + " /dev/zero` to a discarding client",
                bytes, "same command's stdout relayed raw over " + transport.label(),
                (n, round) -> baselineOutput(n, transport, dir, round), (n, round) -> agentOutput(client, n));
    }

    /** Row 3: N bytes sent in pipe mode into {@code cat >/dev/null}. */
    static Row stdin(VsockExecClient client, BenchSizes sizes, BenchTransport transport, Path dir) throws IOException {
        long bytes = sizes.streamBytes();
        Command command = Command.shell("cat >/dev/null");
        return alternate(3, "stdin throughput: " + Figures.size(bytes) + " in pipe mode into `cat >/dev/null`",
                bytes, "same bytes relayed raw over " + transport.label() + " into the same command",
                (n, round) -> baselineInput(n, transport, dir, round), (n, round) -> agentInput(client, command, n));
    }

    /** One timed transfer of {@code bytes}; {@code round} tells its endpoint apart from the other rounds'. */
    @FunctionalInterface
    interface Round {
        long nanos(long bytes, int round) throws IOException;
    }

    /**
     * A warm-up round of each on a quarter of the bytes, not counted, then {@link #ROUNDS} rounds
     * of baseline and agent in turn; the row of their medians.
     */
    static Row alternate(int number, String measurement, long bytes, String baselineText, Round baseline,
            Round agent) throws IOException {
        long[] agentNanos = new long[ROUNDS];
        long[] baseNanos = new long[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long n = round < 0 ? Math.max(1, bytes / 4) : bytes;
            long b = baseline.nanos(n, round + 1);
            long a = agent.nanos(n, round + 1);
            if (round >= 0) {
                baseNanos[round] = b;
                agentNanos[round] = a;
            }
        }
        return row(number, measurement, bytes, Figures.median(agentNanos), Figures.median(baseNanos), baselineText);
    }

    private static Row row(int number, String measurement, long bytes, long agentNanos, long baseNanos, String base) {
        double agent = bytes * 1e9 / agentNanos;
        double baseline = bytes * 1e9 / baseNanos;
        double ratio = agent / baseline;
        return new Row(number, measurement, Figures.throughput(agent), base + ": " + Figures.throughput(baseline),
                Figures.ratio(ratio), TARGET_TEXT, Verdict.atLeast(ratio, TARGET));
    }

    private static long agentOutput(VsockExecClient client, long bytes) throws IOException {
        Command command = Command.argv(headArgv(bytes));
        CountingSink sink = new CountingSink();
        long start = System.nanoTime();
        ExecStatus status = client.stream(command, sink, OutputStream.nullOutputStream());
        long nanos = System.nanoTime() - start;
        check(status.exitCode() == 0, command.display() + " exited " + status.exitCode());
        check(sink.count == bytes, "received " + sink.count + " bytes of " + bytes);
        return nanos;
    }

    private static long agentInput(VsockExecClient client, Command command, long bytes) throws IOException {
        long start = System.nanoTime();
        ExecStatus status = client.pipe(command, new ZeroInput(bytes), null, null);
        long nanos = System.nanoTime() - start;
        check(status.exitCode() == 0, command.display() + " exited " + status.exitCode());
        return nanos;
    }

    /**
     * The output baseline: on a virtual thread, the command's stdout pipe read into one buffer and
     * written to a connection; this thread reads the other end, counts and drops. Timed from the
     * spawn until the reader has seen the end and the command has exited.
     */
    private static long baselineOutput(long bytes, BenchTransport transport, Path dir, int round)
            throws IOException {
        Endpoint endpoint = transport.endpoints(dir, "baseline-out-" + round).exec();
        try (Listener listener = Transports.listen(endpoint)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            Pipe out = Pipe.fromChild("baseline stdout");
            try (Connection c = Transports.dial(listener.endpoint(), Deadline.after(LIMIT));
                    Connection accepted = listener.accept(Deadline.after(LIMIT))) {
                SpawnSpec spec = SpawnSpec.builder(ExecLatency.Baseline.resolve(headArgv(bytes)))
                        .environment(System.getenv()).stdout(Stdio.pipe(out)).build();
                try (ChildProcess child = ChildProcess.spawn(spec)) {
                    Thread relay = Thread.ofVirtual().start(() -> {
                        try {
                            relay(out.parentEnd(), accepted.output());
                            accepted.shutdownOutput();
                        } catch (IOException | RuntimeException e) {
                            failure.set(e);
                        }
                    });
                    long received = drain(c.input());
                    Concurrency.join(List.of(relay), LIMIT, "a baseline thread");
                    checkFailure(failure);
                    check(received == bytes, "baseline reader received " + received + " bytes of " + bytes);
                    check(child.waitFor(Deadline.after(LIMIT)).shellCode() == 0, "baseline head failed");
                }
            } finally {
                out.close();
            }
            return System.nanoTime() - start;
        }
    }

    /**
     * The input baseline: a sender writes the bytes to a connection; on the accepting side a
     * virtual thread copies them through one buffer into the command's stdin pipe, which is
     * closed at the end. Both are virtual threads, as the SDK's input pump and the agent's
     * connection reader are. Timed from the spawn until the command has exited.
     */
    private static long baselineInput(long bytes, BenchTransport transport, Path dir, int round) throws IOException {
        Endpoint endpoint = transport.endpoints(dir, "baseline-in-" + round).exec();
        try (Listener listener = Transports.listen(endpoint)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            Pipe in = Pipe.toChild("baseline stdin");
            try {
                SpawnSpec spec = SpawnSpec.builder("/bin/sh", "-c", "cat >/dev/null").environment(System.getenv())
                        .stdin(Stdio.pipe(in)).build();
                try (ChildProcess child = ChildProcess.spawn(spec)) {
                    Thread sender = Thread.ofVirtual().start(() -> {
                        try (Connection c = Transports.dial(listener.endpoint(), Deadline.after(LIMIT))) {
                            send(c.output(), bytes);
                            c.shutdownOutput();
                        } catch (IOException | RuntimeException e) {
                            failure.set(e);
                        }
                    });
                    AtomicLong copied = new AtomicLong(-1);
                    Thread relay = Thread.ofVirtual().start(() -> {
                        try (Connection c = listener.accept(Deadline.after(LIMIT))) {
                            copied.set(relayInto(c.input(), in.parentEnd()));
                            in.close();
                        } catch (IOException | RuntimeException e) {
                            failure.set(e);
                        }
                    });
                    Concurrency.join(List.of(sender, relay), LIMIT, "a baseline thread");
                    checkFailure(failure);
                    check(copied.get() == bytes, "baseline relay copied " + copied.get() + " bytes of " + bytes);
                    check(child.waitFor(Deadline.after(LIMIT)).shellCode() == 0, "baseline cat failed");
                }
            } finally {
                in.close();
            }
            long nanos = System.nanoTime() - start;
            checkFailure(failure);
            return nanos;
        }
    }

    private static List<String> headArgv(long bytes) {
        return List.of("head", "-c", String.valueOf(bytes), "/dev/zero");
    }

    private static void relay(Descriptor source, OutputStream sink) throws IOException {
        byte[] buffer = new byte[RELAY_BUFFER];
        int n;
        while ((n = source.read(buffer, 0, buffer.length, Deadline.none())) >= 0) {
            sink.write(buffer, 0, n);
        }
    }

    private static long relayInto(InputStream source, Descriptor sink) throws IOException {
        byte[] buffer = new byte[RELAY_BUFFER];
        long total = 0;
        int n;
        while ((n = source.read(buffer, 0, buffer.length)) >= 0) {
            sink.write(buffer, 0, n, Deadline.none());
            total += n;
        }
        return total;
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[RELAY_BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            total += n;
        }
        return total;
    }

    /**
     * The bytes read from the same input the agent's round gives the SDK, in chunks of the size
     * the SDK's stdin pump reads, and written to {@code out}.
     */
    private static void send(OutputStream out, long bytes) throws IOException {
        InputStream in = new ZeroInput(bytes);
        byte[] buffer = new byte[RELAY_BUFFER];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    static void checkFailure(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("baseline failed: " + t, t);
        }
    }

    static void check(boolean condition, String failure) throws IOException {
        if (!condition) {
            throw new IOException(failure);
        }
    }

    /** Counts what it is given and keeps nothing. */
    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** {@code length} zero bytes, produced as fast as they are read. */
    static final class ZeroInput extends InputStream {
        private long left;

        ZeroInput(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
