package io.vsockexec.cli;

import io.vsockexec.agent.Agent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stop a termination signal asks of {@code vsockexec agent}, which may come before the agent it
 * stops: the agent is ready (its readiness endpoint listens) before {@link Agent#start} has
 * returned it, and a host that sees it ready may stop it at once. A stop asked for before the
 * agent arrives is carried out as it arrives, rather than lost (the agent then served on).
 */
final class AgentStop {
    private final AtomicReference<Agent> agent = new AtomicReference<>();
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Stops the agent: now if it has arrived, else as it arrives. */
    void request() {
        requested.set(true);
        Agent arrived = agent.get();
        if (arrived != null) {
            arrived.shutdown();
        }
    }

    /**
     * The agent has started; stops it at once if a stop was asked for meanwhile. Whichever of the
     * two comes second sees the other (both fields are written before the other is read), and a
     * second shutdown only waits for the first.
     */
    void arrived(Agent started) {
        agent.set(started);
        if (requested.get()) {
            started.shutdown();
        }
    }
}
