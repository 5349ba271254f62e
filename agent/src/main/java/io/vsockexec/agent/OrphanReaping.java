package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.OrphanReaper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Reaps orphaned processes now and then, when the agent is their parent: as PID 1 (in a VM whose
 * init it is), or as a child subreaper ({@link AgentConfig#subreaper()}).
 */
final class OrphanReaping {
    /** How often orphans are reaped. */
    static final Duration INTERVAL = Duration.ofMillis(500);

    private final Log log;
    private final Thread thread;

    private OrphanReaping(Log log, boolean reap) {
        this.log = log;
        this.thread = reap ? Thread.ofVirtual().name("vsockexec orphan reaper").start(this::run) : null;
    }

    /** Becomes a child subreaper if the configuration asks; before binding, so that a failure leaves nothing bound. */
    static void prepare(AgentConfig config) throws IOException {
        if (config.subreaper()) {
            OrphanReaper.setChildSubreaper(true);
        }
    }

    /** Starts reaping if this agent is PID 1 or a subreaper (made one by {@link #prepare}). */
    static OrphanReaping start(AgentConfig config) {
        boolean init = ProcessHandle.current().pid() == 1;
        return new OrphanReaping(config.log(), init || config.subreaper());
    }

    /** Stops reaping and waits for the reaper to end. */
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int n = OrphanReaper.reapOrphans();
                if (n > 0) {
                    log.debug(() -> "reaped " + n + " orphaned processes");
                }
            } catch (IOException e) {
                log.debug(() -> "reaping orphans failed", e);
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }
}
