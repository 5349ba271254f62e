package io.vsockexec.agent;

import io.vsockexec.protocol.ByteSource;
import java.io.InterruptedIOException;

/**
 * The standard output and error of an {@code Exec} session, kept for its one reply: each in
 * {@link OutputChunks} whose memory comes from the session's account of the agent's
 * {@link MemoryBudget}, at most {@link #limit()} bytes of both together (what fits one frame:
 * base64 makes bytes 4/3 larger). The reply is encoded from the chunks straight into its frame,
 * so the output is held once, never copied whole.
 *
 * <p><b>A fair share each.</b> While both fit, both are kept whole. Beyond the limit, each output
 * is sure of half of it: an output under its half may take room from the other's bytes beyond
 * that other's half (dropping the end of what was kept of it), and an output over its half keeps
 * only what is still free. So 20 MiB of stdout and a line of stderr keep the line and as much
 * of stdout as fits with it; two large outputs keep half each. Dropped bytes are counted per
 * output, and the reply's {@link #error()} says how many of which.
 *
 * <p><b>Memory.</b> A chunk is reserved before it is allocated, and before the pipe is read into
 * it. When the budget has no room, the session waits, and its command, whose pipe is not read
 * meanwhile, waits on a full pipe, as with a slow reader. Before it waits, the session starts
 * watching its connection (a host that leaves cancels it), and a cancellation ends the wait:
 * the rest is dropped. Used by the session's thread only.
 */
final class OutputBuffer {
    /** Room in the reply for the JSON around the output: field names, exit code, error text. */
    static final int JSON_RESERVE = 4096;

    /** One of the two outputs. */
    enum Stream { STDOUT, STDERR }

    /** Where a read of a pipe goes: into a chunk, or into scratch space to be dropped. */
    record Target(byte[] array, int offset, int length, boolean keep) {}

    private final int limit;
    private final MemoryBudget.Account memory;
    private final OutputChunks stdout;
    private final OutputChunks stderr;
    private final long[] dropped = new long[2];
    private Runnable beforeWaiting = () -> { };
    /** Where bytes to be dropped are read to; allocated at the first drop. */
    private byte[] scratch;
    /** True once a wait for memory was cancelled: from then on everything is dropped. */
    private boolean abandoned;

    /**
     * @param limit the most output, both streams together, to keep
     * @param memory the session's account, from which every chunk is reserved
     */
    OutputBuffer(int limit, MemoryBudget.Account memory) {
        this.limit = limit;
        this.memory = memory;
        this.stdout = new OutputChunks(memory);
        this.stderr = new OutputChunks(memory);
    }

    /** The most output, stdout and stderr together, whose reply fits a frame of {@code maxFrame} bytes. */
    static int limitFor(int maxFrame) {
        return (maxFrame - JSON_RESERVE) / 4 * 3;
    }

    /** The most a session's account holds: the limit, and the unfilled part of each output's last chunk. */
    static long largestHolding(int maxFrame) {
        return limitFor(maxFrame) + 2L * OutputChunks.LARGEST_CHUNK;
    }

    int limit() {
        return limit;
    }

    /** What runs before the session first waits for memory: it starts watching the host. */
    void beforeWaiting(Runnable action) {
        this.beforeWaiting = action;
    }

    /** The session is cancelled: a wait for memory ends, and nothing more is kept. */
    void abandon() {
        memory.abort();
    }

    /**
     * Where the next read of {@code stream}'s pipe, of at most {@code max} bytes, goes: a chunk
     * with room, reserved first (which may wait), or scratch space if the bytes are to be dropped.
     */
    Target target(Stream stream, int max) {
        OutputChunks chunks = chunks(stream);
        long allowance = abandoned ? 0 : allowance(stream);
        if (allowance == 0 || chunks.room() == 0 && !addChunk(chunks, (int) Math.min(chunks.nextChunkSize(), allowance))) {
            if (scratch == null) {
                scratch = new byte[BufferedOutput.CHUNK];
            }
            return new Target(scratch, 0, Math.min(max, scratch.length), false);
        }
        int length = (int) Math.min(Math.min(max, chunks.room()), allowance);
        return new Target(chunks.last(), chunks.fill(), length, true);
    }

    /** {@code n} bytes were read into {@code target} for {@code stream}: they are kept, or counted as dropped. */
    void arrived(Stream stream, Target target, int n) {
        if (!target.keep()) {
            dropped[stream.ordinal()] += n;
            return;
        }
        chunks(stream).kept(n);
        long excess = stdout.length() + stderr.length() - limit;
        if (excess > 0) {
            // Taken from the other's share beyond its half: see allowance.
            OutputChunks other = chunks(other(stream));
            other.truncate(other.length() - excess);
            dropped[other(stream).ordinal()] += excess;
        }
    }

    /**
     * How many more bytes {@code stream} may keep: what is free, and if it has less than its half,
     * also what the other keeps beyond the other's half.
     */
    private long allowance(Stream stream) {
        long own = chunks(stream).length();
        long others = chunks(other(stream)).length();
        long protectedOfOther = own < half(stream) ? Math.min(others, half(other(stream))) : others;
        return Math.max(0, limit - protectedOfOther - own);
    }

    /** An output's sure share: half the limit (stderr gets the odd byte). */
    private long half(Stream stream) {
        return stream == Stream.STDOUT ? limit / 2 : limit - limit / 2;
    }

    /** Reserves and adds a chunk; false if the session was cancelled while it waited. */
    private boolean addChunk(OutputChunks chunks, int size) {
        if (!memory.tryReserve(size)) {
            beforeWaiting.run();
            try {
                memory.reserve(size);
            } catch (InterruptedIOException e) {
                abandoned = true;
                return false;
            }
        }
        chunks.addChunk(new byte[size]);
        return true;
    }

    private OutputChunks chunks(Stream stream) {
        return stream == Stream.STDOUT ? stdout : stderr;
    }

    private static Stream other(Stream stream) {
        return stream == Stream.STDOUT ? Stream.STDERR : Stream.STDOUT;
    }

    /** The standard output kept, to be written once into the reply. */
    ByteSource stdout() {
        return stdout;
    }

    /** The standard error kept, to be written once into the reply. */
    ByteSource stderr() {
        return stderr;
    }

    /** How many bytes of {@code stream} were dropped. */
    long dropped(Stream stream) {
        return dropped[stream.ordinal()];
    }

    /** The reply's {@code error} when output was dropped, else empty. */
    String error() {
        if (dropped[0] == 0 && dropped[1] == 0) {
            return "";
        }
        String what = "kept " + describe(Stream.STDOUT) + " and " + describe(Stream.STDERR);
        if (abandoned) {
            return "the session was cancelled while its output waited for memory: " + what;
        }
        return "output exceeded the " + limit + "-byte limit of buffered mode (Exec): " + what
                + "; use streaming (ExecStream) for large output";
    }

    /**
     * {@code all 10 bytes of stderr}, {@code no stderr}, or {@code 12579830 of 20000000 bytes of
     * stdout (7420170 dropped)}.
     */
    private String describe(Stream stream) {
        long kept = chunks(stream).length();
        long drop = dropped[stream.ordinal()];
        String name = stream.name().toLowerCase(java.util.Locale.ROOT);
        if (kept + drop == 0) {
            return "no " + name;
        }
        if (drop == 0) {
            return "all " + kept + " bytes of " + name;
        }
        return kept + " of " + (kept + drop) + " bytes of " + name + " (" + drop + " dropped)";
    }

    /** Gives back all the memory the output holds. */
    void release() {
        memory.close();
    }
}
