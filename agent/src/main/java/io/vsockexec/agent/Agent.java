package io.vsockexec.agent;

import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The guest agent: serves exec sessions on its listen endpoints and answers readiness probes on
 * its ready endpoints, until {@link #shutdown()}.
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentConfig.builder()
 *         .listen(Endpoint.parse("unix:///run/vsockexec.sock")).ready(List.of()).build())) {
 *     agent.awaitTermination();
 * }
 * }</pre>
 *
 * <p>This class is the agent's lifecycle; each of its parts is a class of its own: binding
 * ({@link BoundListeners}), accepting ({@link ExecAcceptors}, {@link PlatformServers}),
 * readiness ({@link ReadinessResponder}), admission ({@link Admission}: at most
 * {@link AgentConfig#maxSessions()} sessions, and "agent busy" answers beyond), the connections
 * being served ({@link ActiveConnections}), and reaping orphaned processes when the agent runs as
 * PID 1 (in a VM whose init it is) or with {@link AgentConfig#subreaper()} ({@link OrphanReaping}),
 * and what it buffers, within its memory ceiling ({@link MemoryBudget}, given back after a burst
 * by {@link MemoryReturn}).
 */
public final class Agent implements Closeable {
    private final AgentConfig config;
    private final SessionContext context;
    private final BoundListeners listeners;
    private final Admission admission;
    private final ActiveConnections connections;
    private final OrphanReaping reaping;
    private final ReadinessResponder readiness;
    private final ExecAcceptors acceptors;
    private final MemoryReturn memoryReturn;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private boolean shuttingDown;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private Agent(SessionContext context, BoundListeners listeners) {
        this.config = context.config();
        this.context = context;
        this.listeners = listeners;
        this.admission = new Admission(config.maxSessions(), config.maxPending(), config.log());
        this.connections = new ActiveConnections(context, admission);
        this.reaping = OrphanReaping.start(config);
        // The exec acceptors first: a host that found the agent ready is already connecting there,
        // while a readiness probe's connection waits in its backlog, where it counts as answered.
        this.acceptors = ExecAcceptors.start(listeners.exec(), config.log(), connections::serve);
        this.readiness = ReadinessResponder.start(listeners.ready(), config.log());
        this.memoryReturn = MemoryReturn.start(context.memory(), config.log());
        config.log().debug(() -> "memory: ceiling " + AgentMemory.mib(config.maxMemory()) + ", heap limit "
                + AgentMemory.mib(Runtime.getRuntime().maxMemory()) + ", buffers " + context.memory());
    }

    /**
     * Binds the exec endpoints, then the readiness endpoints (so that a host that sees the agent
     * ready can connect), starts serving and returns.
     *
     * @throws IOException if an endpoint cannot be bound, naming it (e.g.
     *     {@code bind unix:///run/x.sock: EADDRINUSE (Address already in use)}); nothing stays bound
     * @throws IllegalArgumentException if the memory ceiling, in this JVM's heap, leaves too little
     *     to buffer one frame, saying which option to change; nothing is bound
     */
    public static Agent start(AgentConfig config) throws IOException {
        return start(config, null, RequestHandlers.standard());
    }

    static Agent start(AgentConfig config, Launcher launcher) throws IOException {
        return start(config, Objects.requireNonNull(launcher, "launcher"), RequestHandlers.standard());
    }

    /**
     * An agent that serves the requests of {@code handlers}, launching through {@code launcher},
     * or through one for this process when null: made after the binding, since its effective uid
     * is a C call, which in a fresh process waits for the native calls' linking, while the
     * binding's first steps (the socket's path, its directory) need none and run meanwhile.
     */
    static Agent start(AgentConfig config, Launcher launcher, RequestHandlers handlers) throws IOException {
        Objects.requireNonNull(config, "config");
        MemoryBudget memory = AgentMemory.budget(config, Runtime.getRuntime().maxMemory());
        OrphanReaping.prepare(config);
        BoundListeners listeners = BoundListeners.bind(config);
        Launcher sessions = launcher != null ? launcher : Launcher.forThisProcess();
        // Opened meanwhile, on a thread of its own: the first session waits for it, not the accept.
        ProcessContainment containment = OpeningContainment.start(config, config.log());
        return new Agent(new SessionContext(config, sessions, handlers, memory, containment), listeners);
    }

    /** The exec endpoints as bound (a TCP port 0 replaced by the chosen port), in configuration order. */
    public List<Endpoint> endpoints() {
        return listeners.exec().stream().map(Listener::endpoint).toList();
    }

    /** The readiness endpoints as bound, in configuration order. */
    public List<Endpoint> readyEndpoints() {
        return listeners.ready().stream().map(Listener::endpoint).toList();
    }

    /** The configuration this agent runs with. */
    public AgentConfig config() {
        return config;
    }

    /** How many sessions are running now. */
    public int activeSessions() {
        return admission.activeSessions();
    }

    /** How many connections are waiting for their request now. */
    int pendingConnections() {
        return admission.pendingConnections();
    }

    /** Waits until {@link #shutdown()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Waits until {@link #shutdown()} has finished or {@code timeout} has passed; true if it has finished. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True once {@link #shutdown()} has finished. */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * Stops accepting, cancels every running session (SIGTERM to its process groups, SIGKILL after
     * the grace period), waits for the sessions to report and end, and closes everything. A host
     * still connected gets its final frame (the exit code of a command that SIGTERM ended is 143;
     * on a terminal SIGHUP comes first, and a command that it ends reports 129).
     * Idempotent; a second caller waits for the first.
     */
    public void shutdown() {
        if (!beginShutdown()) {
            quietly(terminated::await);
            return;
        }
        try {
            connections.close();
            acceptors.stop();
            listeners.close();
            quietly(readiness::join);
            quietly(acceptors::joinWaiting);
            // What a cancelled session needs (grace, drain, linger), and a little more.
            connections.cancelAll(config.grace().plus(config.drainTimeout()).plus(ConnectionHandler.LINGER)
                    .plus(Duration.ofSeconds(2)));
            quietly(acceptors::joinServers);
            context.containment().shutdown();
            quietly(reaping::stop);
            memoryReturn.close();
            context.launcher().close();
        } finally {
            terminated.countDown();
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** True for the first caller. */
    private boolean beginShutdown() {
        lock.lock();
        try {
            boolean first = !shuttingDown;
            shuttingDown = true;
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** A wait that may be interrupted. */
    @FunctionalInterface
    private interface Wait {
        void await() throws InterruptedException;
    }

    /** Runs {@code wait}; an interrupt is kept for the caller, and the shutdown goes on. */
    private static void quietly(Wait wait) {
        try {
            wait.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
