package io.vsockexec.agent;

import io.vsockexec.base.Log;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Gives the memory of a burst back to the system once the burst is over. The serial collector
 * hands heap back only at a full collection, and a quiet agent makes none: so once a second this
 * looks whether the heap grew since the last full collection by {@link #GROWTH} or more while
 * the buffers are now quiet (the {@link MemoryBudget} held at most {@link #QUIET} bytes during
 * the last second), and if so runs one. The launcher's {@code -XX:MaxHeapFreeRatio} and
 * {@code -XX:-ShrinkHeapInSteps} then make that collection shrink the heap at once, and
 * {@code -XX:TrimNativeHeapInterval} returns the C library's freed memory; measured in
 * docs/AGENT.md. A collection of the agent's small heap is a pause of milliseconds, run only when
 * buffers are quiet and the heap has grown, so at most once per burst.
 */
final class MemoryReturn implements AutoCloseable {
    /** How often it looks. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** Heap growth since the last full collection that is worth giving back. */
    static final long GROWTH = 4L << 20;
    /** Buffers holding at most this much are quiet: the burst is over. */
    static final long QUIET = 1L << 20;

    private final MemoryBudget budget;
    private final Log log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    /** The heap's committed size after the last full collection this made, or at the start. */
    private long committedAfterCollection = Runtime.getRuntime().totalMemory();

    private MemoryReturn(MemoryBudget budget, Log log) {
        this.budget = budget;
        this.log = log;
        this.thread = Thread.ofVirtual().name("vsockexec memory return").unstarted(this::run);
    }

    /** Starts looking, until {@link #close()}. */
    static MemoryReturn start(MemoryBudget budget, Log log) {
        MemoryReturn r = new MemoryReturn(budget, log);
        r.thread.start();
        return r;
    }

    private void run() {
        try {
            while (!stopped.await(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                tick();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        long peak = budget.takePeak();
        long committed = Runtime.getRuntime().totalMemory();
        if (peak > QUIET || committed - committedAfterCollection < GROWTH) {
            committedAfterCollection = Math.min(committedAfterCollection, committed);
            return;
        }
        System.gc();
        long after = Runtime.getRuntime().totalMemory();
        committedAfterCollection = after;
        log.debug(() -> "memory: the heap grew to " + AgentMemory.mib(committed) + " in a burst; after a full"
                + " collection " + AgentMemory.mib(after));
    }

    /** Stops looking. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
