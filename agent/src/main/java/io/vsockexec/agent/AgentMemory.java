package io.vsockexec.agent;

/**
 * How the agent's memory ceiling ({@link AgentConfig#maxMemory()}) becomes the budget of what it
 * buffers. The JVM's own settings are derived from the ceiling before the JVM starts, by the
 * launcher's {@code agent-jvm.sh} (the heap is the ceiling less what the JVM needs besides it);
 * here the agent takes the heap it got, or the ceiling if the heap is larger (an agent inside a
 * host's JVM), sets aside what it needs whatever its load, and budgets part of the rest, leaving
 * the collector room to work.
 */
final class AgentMemory {
    /** What the heap holds besides buffers, whatever the load: classes' data, the AOT cache's objects, the listeners. */
    static final long BASELINE = 4L << 20;
    /** A session's fixed cost: its threads (virtual threads' stacks live on the heap), first buffers, connection. */
    static final long PER_SESSION = 40L << 10;
    /**
     * What each holder may take outside the budget, covered by its fixed cost: a small request's
     * payload, the first chunk of each of a short command's outputs. So a short request never
     * waits for memory behind a burst of large ones.
     */
    static final long ALLOWANCE = 2L * OutputChunks.FIRST_CHUNK;

    private AgentMemory() {}

    /**
     * The budget for an agent with {@code config} in a heap of at most {@code heapMax} bytes.
     *
     * @throws IllegalArgumentException if it would not hold what one frame needs, saying what to change
     */
    static MemoryBudget budget(AgentConfig config, long heapMax) {
        long heap = Math.min(heapMax, config.maxMemory());
        long fixed = BASELINE + config.maxSessions() * PER_SESSION;
        long capacity = Math.max(0, (heap - fixed) / 4 * 3);
        long claim = claim(config.maxFrame());
        if (capacity < claim) {
            throw new IllegalArgumentException("max memory " + mib(config.maxMemory()) + " (a heap of " + mib(heap)
                    + ") leaves " + mib(capacity) + " to buffer with " + config.maxSessions() + " sessions, less than the "
                    + mib(claim) + " one frame of " + mib(config.maxFrame()) + " needs: raise --max-memory, or lower"
                    + " --max-frame or --max-sessions");
        }
        return new MemoryBudget(capacity, claim, ALLOWANCE);
    }

    /** The most one holder needs: a whole frame, or a buffered reply's output and its chunks' slack. */
    static long claim(int maxFrame) {
        return Math.max(maxFrame, OutputBuffer.largestHolding(maxFrame));
    }

    /** {@code 12.5 MiB}. */
    static String mib(long bytes) {
        long tenths = bytes * 10 / (1 << 20);
        return tenths % 10 == 0 ? tenths / 10 + " MiB" : tenths / 10 + "." + tenths % 10 + " MiB";
    }
}
