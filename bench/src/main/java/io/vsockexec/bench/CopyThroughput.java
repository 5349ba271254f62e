package io.vsockexec.bench;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.CopyStats;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rows 12 and 13: a file of the stream size copied into the agent's machine and out of it
 * ({@code copyTo}, {@code copyFrom}: a tar stream in CopyData frames, the file written beside its
 * target and renamed), against a plain relay of the same file over the same transport in this
 * process: read through one 64 KiB buffer, written to a connection, read on the other side into a
 * new file, the same work on the disk without the protocol. Rounds alternate as in
 * {@link Throughput}. The source is a sparse file, read from no disk by either.
 */
final class CopyThroughput {
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private CopyThroughput() {}

    /** Row 12: a file copied into the agent's machine. */
    static Row in(VsockExecClient client, BenchSizes sizes, BenchTransport transport, Path dir) throws IOException {
        return row(12, "into the VM (`cp SRC :DST`)", "copy-in", sizes, transport, dir,
                (work, n, round) -> client.copyTo(source(work, n), work + "/in-" + round));
    }

    /** Row 13: a file copied out of the agent's machine. */
    static Row out(VsockExecClient client, BenchSizes sizes, BenchTransport transport, Path dir) throws IOException {
        return row(13, "out of the VM (`cp :SRC DST`)", "copy-out", sizes, transport, dir,
                (work, n, round) -> client.copyFrom(source(work, n).toString(), work.resolve("out-" + round)));
    }

    /** Row {@code number}: {@code call} against the raw relay, in a work folder of {@code dir} of its own. */
    private static Row row(int number, String direction, String folder, BenchSizes sizes, BenchTransport transport,
            Path dir, CopyCall call) throws IOException {
        long bytes = sizes.streamBytes();
        Path work = Files.createDirectories(dir.resolve(folder));
        return Throughput.alternate(number, "copy throughput: a " + Figures.size(bytes) + " file " + direction,
                bytes, "same file relayed raw over " + transport.label() + " into a new file",
                (n, round) -> baseline(source(work, n), work.resolve("raw-" + round), transport, dir, round),
                (n, round) -> copy(work, round, () -> call.run(work, n, round)));
    }

    /** One copy of the {@code n}-byte source in {@code work}, in round {@code round}. */
    @FunctionalInterface
    private interface CopyCall {
        CopyStats run(Path work, long n, int round) throws IOException;
    }

    @FunctionalInterface
    private interface Timed {
        CopyStats run() throws IOException;
    }

    /** Times one copy, then removes what it wrote. */
    private static long copy(Path work, int round, Timed call) throws IOException {
        long start = System.nanoTime();
        call.run();
        long nanos = System.nanoTime() - start;
        Files.deleteIfExists(work.resolve("in-" + round));
        Files.deleteIfExists(work.resolve("out-" + round));
        return nanos;
    }

    /** A sparse source file of {@code bytes}, made once per size. */
    private static Path source(Path work, long bytes) throws IOException {
        Path file = work.resolve("source-" + bytes);
        if (!Files.exists(file)) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(bytes);
            }
        }
        return file;
    }

    /**
     * The baseline: this thread reads the file and writes it to a connection; a virtual thread,
     * as the agent's connection reader is, reads the other end into a new file. Timed until that
     * file is closed.
     */
    private static long baseline(Path source, Path target, BenchTransport transport, Path dir, int round)
            throws IOException {
        Endpoint endpoint = transport.endpoints(dir, "baseline-copy-" + round).exec();
        try (Listener listener = Transports.listen(endpoint)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            Thread receiver = Thread.ofVirtual().start(() -> {
                try (Connection c = listener.accept(Deadline.after(LIMIT));
                        OutputStream out = Files.newOutputStream(target)) {
                    relay(c.input(), out);
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
            });
            try (Connection c = Transports.dial(listener.endpoint(), Deadline.after(LIMIT));
                    InputStream in = Files.newInputStream(source)) {
                relay(in, c.output());
                c.shutdownOutput();
            }
            Concurrency.join(List.of(receiver), LIMIT, "the baseline receiver");
            long nanos = System.nanoTime() - start;
            Throughput.checkFailure(failure);
            Throughput.check(Files.size(target) == Files.size(source), "the baseline copied " + Files.size(target)
                    + " bytes of " + Files.size(source));
            Files.delete(target);
            return nanos;
        }
    }

    private static void relay(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[Throughput.RELAY_BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }
}
