package io.vsockexec.agent;

import io.vsockexec.base.Log;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The agent's {@link ProcessContainment} while it is being opened on a thread of its own: opening
 * it (cleaning up after dead agents, creating the agent's cgroup subtree) takes milliseconds of
 * file-system work, which overlap this way with the agent's start and its first connection's
 * accept and request, rather than keeping the first connection waiting in the backlog. A session
 * that needs the containment, and the shutdown, wait for it to be open.
 */
final class OpeningContainment implements ProcessContainment {
    private final FutureTask<ProcessContainment> opening;

    private OpeningContainment(FutureTask<ProcessContainment> opening) {
        this.opening = opening;
    }

    /** Starts opening the containment for {@code config} ({@link ProcessContainment#open}) and returns at once. */
    static OpeningContainment start(AgentConfig config, Log log) {
        return start(() -> ProcessContainment.open(config, log));
    }

    /** Starts {@code open} on a thread of its own and returns at once. */
    static OpeningContainment start(Callable<ProcessContainment> open) {
        FutureTask<ProcessContainment> task = new FutureTask<>(open);
        Thread opener = new Thread(task, "vsockexec containment");
        opener.setDaemon(true);
        opener.start();
        return new OpeningContainment(task);
    }

    @Override
    public SessionProcesses forSession(String name) {
        return opened().forSession(name);
    }

    @Override
    public void shutdown() {
        opened().shutdown();
    }

    /** The containment, once open; an interrupt does not end the wait, and stays set. */
    ProcessContainment opened() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return opening.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("opening the process containment failed: " + e.getCause(),
                            e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
