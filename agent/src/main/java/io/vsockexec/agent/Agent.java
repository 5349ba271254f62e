package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.OrphanReaper;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.ListenOptions;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Each exec listener has a few platform threads that take turns accepting and serving (see
 * {@link PlatformServers}); when all of them are busy, each further connection gets a virtual
 * thread. A semaphore caps the sessions at
 * {@link AgentConfig#maxSessions()}; a connection beyond the cap still has its request read and
 * answered "agent busy", so a host never waits in vain. (At most as many refusals as sessions are
 * in progress at once; beyond that, connections are closed at once.)
 *
 * <p>The agent reaps orphaned processes too when it runs as PID 1 (in a VM whose init it is) or
 * with {@link AgentConfig#subreaper()}.
 */
public final class Agent implements Closeable {
    /** How often orphans are reaped, when this agent reaps them. */
    static final Duration REAP_INTERVAL = Duration.ofMillis(500);

    private final AgentConfig config;
    private final SessionContext context;
    private final Log log;
    private final List<Listener> execListeners;
    private final List<Listener> readyListeners;
    private final Semaphore sessionPermits;
    private final Semaphore refusalPermits;
    private final Map<ConnectionHandler, Thread> handlers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** The readiness threads. */
    private final List<Thread> acceptors = new ArrayList<>();
    /** The virtual threads waiting in accept on an exec endpoint, and their listeners. */
    private final Map<Thread, Listener> waitingAcceptors = new ConcurrentHashMap<>();
    private final List<PlatformServers> platformServers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private boolean shuttingDown;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Thread reaper;

    private Agent(AgentConfig config, Launcher launcher, RequestHandlers handlers, List<Listener> exec,
            List<Listener> ready) {
        this.config = config;
        this.context = new SessionContext(config, launcher, handlers);
        this.log = config.log();
        this.execListeners = List.copyOf(exec);
        this.readyListeners = List.copyOf(ready);
        this.sessionPermits = new Semaphore(config.maxSessions());
        this.refusalPermits = new Semaphore(config.maxSessions());
    }

    /**
     * Binds the exec endpoints, then the readiness endpoints (so that a host that sees the agent
     * ready can connect), starts serving and returns.
     *
     * @throws IOException if an endpoint cannot be bound, naming it (e.g.
     *     {@code bind unix:///run/x.sock: EADDRINUSE (Address already in use)}); nothing stays bound
     */
    public static Agent start(AgentConfig config) throws IOException {
        return start(config, Launcher.forThisProcess());
    }

    static Agent start(AgentConfig config, Launcher launcher) throws IOException {
        return start(config, launcher, RequestHandlers.standard());
    }

    /** An agent that serves the requests of {@code handlers}. */
    static Agent start(AgentConfig config, Launcher launcher, RequestHandlers handlers) throws IOException {
        Objects.requireNonNull(config, "config");
        if (config.subreaper()) {
            // Before binding, so that a failure here leaves nothing bound.
            OrphanReaper.setChildSubreaper(true);
        }
        ListenOptions options = ListenOptions.defaults().allowInsecureNonLoopbackTcp(config.allowInsecureTcp());
        List<Listener> exec = new ArrayList<>();
        List<Listener> ready = new ArrayList<>();
        try {
            for (Endpoint e : config.listen()) {
                exec.add(Transports.listen(e, options));
            }
            for (Endpoint e : config.ready()) {
                ready.add(Transports.listen(e, options));
            }
        } catch (IOException | RuntimeException e) {
            exec.forEach(Listener::close);
            ready.forEach(Listener::close);
            throw e;
        }
        Agent agent = new Agent(config, launcher, handlers, exec, ready);
        agent.startReaper();
        agent.startAccepting();
        return agent;
    }

    /** The exec endpoints as bound (a TCP port 0 replaced by the chosen port), in configuration order. */
    public List<Endpoint> endpoints() {
        return execListeners.stream().map(Listener::endpoint).toList();
    }

    /** The readiness endpoints as bound, in configuration order. */
    public List<Endpoint> readyEndpoints() {
        return readyListeners.stream().map(Listener::endpoint).toList();
    }

    /** The configuration this agent runs with. */
    public AgentConfig config() {
        return config;
    }

    /** How many sessions are running now. */
    public int activeSessions() {
        return config.maxSessions() - sessionPermits.availablePermits();
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
        boolean first;
        lock.lock();
        try {
            first = !shuttingDown;
            shuttingDown = true;
        } finally {
            lock.unlock();
        }
        if (!first) {
            awaitQuietly();
            return;
        }
        try {
            stopAccepting();
            cancelSessions();
            platformServers.forEach(Agent::joinQuietly);
            Thread r = reaper;
            if (r != null) {
                r.interrupt();
                joinQuietly(r);
            }
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

    private void awaitQuietly() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAccepting() {
        execListeners.forEach(Listener::close);
        readyListeners.forEach(Listener::close);
        platformServers.forEach(PlatformServers::stop);
        acceptors.forEach(Agent::joinQuietly);
        // No new acceptor starts once shuttingDown is set; those left see the closed listener and end.
        List.copyOf(waitingAcceptors.keySet()).forEach(Agent::joinQuietly);
    }

    /**
     * Cancels every session and waits for them. A session whose host does not read its final
     * frame would wait forever, so after the time a cancelled session needs (grace, drain, linger)
     * the remaining connections are closed.
     */
    private void cancelSessions() {
        handlers.keySet().forEach(ConnectionHandler::cancel);
        Duration patience = config.grace().plus(config.drainTimeout()).plus(ConnectionHandler.LINGER)
                .plus(Duration.ofSeconds(2));
        Deadline deadline = Deadline.after(patience);
        for (Thread t : List.copyOf(handlers.values())) {
            try {
                t.join(Duration.ofNanos(deadline.remainingNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!handlers.isEmpty()) {
            log.debug(() -> handlers.size() + " sessions still open after " + patience
                    + "; closing their connections");
            handlers.keySet().forEach(ConnectionHandler::abort);
            handlers.values().forEach(Agent::joinQuietly);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(PlatformServers servers) {
        try {
            servers.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startAccepting() {
        PlatformServers.Agency agency = new PlatformAgency();
        for (Listener l : execListeners) {
            platformServers.add(new PlatformServers(l, agency).start());
        }
        for (Listener l : readyListeners) {
            acceptors.add(Thread.ofVirtual().name("vsockexec ready " + l.endpoint()).start(() -> answerReadiness(l)));
        }
    }

    /** What the platform servers call back; a class of its own, so that these stay private to the agent. */
    private final class PlatformAgency implements PlatformServers.Agency {
        @Override
        public Connection acceptWaitingInKernel(Listener listener) {
            return accept(listener, true);
        }

        @Override
        public void coverAccepting(Listener listener) {
            if (!waitingAcceptors.containsValue(listener)) {
                startAcceptor(listener);
            }
        }

        @Override
        public void dispatch(Connection connection) {
            Agent.this.dispatch(connection);
        }
    }

    /** True while a platform server waits for a connection on {@code listener}. */
    private boolean platformAccepting(Listener listener) {
        for (PlatformServers p : platformServers) {
            if (p.listener() == listener) {
                return p.isAccepting();
            }
        }
        return false;
    }

    /**
     * Starts a virtual thread that waits for the next connection on {@code listener}, for when no
     * platform server is free. Leader and followers: the thread that accepts a connection serves
     * it itself, after starting the next acceptor unless a platform server accepts again, so a
     * request never waits for a thread to be scheduled (on a small VM that hand-off was a sizable
     * part of a short exec's round trip). Returns false once the agent is shutting down.
     */
    private boolean startAcceptor(Listener listener) {
        lock.lock();
        try {
            if (shuttingDown) {
                return false;
            }
            Thread t = Thread.ofVirtual().name("vsockexec accept " + listener.endpoint())
                    .unstarted(() -> acceptSession(listener));
            waitingAcceptors.put(t, listener); // before it starts, so that it is gone from the map once it has accepted
            t.start();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Accepts one connection, hands accepting on to a new thread, and serves the connection on this one. */
    private void acceptSession(Listener listener) {
        Connection c;
        try {
            c = accept(listener, false);
        } finally {
            waitingAcceptors.remove(Thread.currentThread());
        }
        if (c == null) {
            return;
        }
        if (!platformAccepting(listener) && !startAcceptor(listener)) {
            c.close();
            return;
        }
        Thread.currentThread().setName("vsockexec connection");
        dispatch(c);
    }

    /** A readiness endpoint: a successful connect is the whole answer. */
    private void answerReadiness(Listener listener) {
        while (true) {
            Connection c = accept(listener, false);
            if (c == null) {
                return;
            }
            c.close();
        }
    }

    /**
     * The next connection, or null once the listener is closed.
     *
     * @param inKernel wait inside the kernel (for a platform thread), then accept what is pending
     */
    private Connection accept(Listener listener, boolean inKernel) {
        while (listener.isOpen()) {
            try {
                if (!inKernel) {
                    return listener.accept(Deadline.none());
                }
                if (listener.awaitConnection(Deadline.none())) {
                    return listener.accept(Deadline.after(Duration.ZERO));
                }
            } catch (SocketTimeoutException e) {
                // Another thread accepted the pending connection first: wait again.
            } catch (ClosedChannelException e) {
                return null;
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return null;
                }
                // Out of descriptors or a connection reset before accept: not fatal. Pause, as a
                // tight loop would spin on a persistent error such as EMFILE.
                log.warning("accept on " + listener.endpoint() + " failed: " + e.getMessage());
                LockSupport.parkNanos(100_000_000L);
            }
        }
        return null;
    }

    /** Serves {@code c} on the calling thread: a session if a permit is free, else a "busy" answer. */
    private void dispatch(Connection c) {
        boolean permitted = sessionPermits.tryAcquire();
        if (!permitted && !refusalPermits.tryAcquire()) {
            log.warning("closed a connection from " + c.remoteAddress() + ": " + config.maxSessions()
                    + " sessions running and as many refusals in progress");
            c.close();
            return;
        }
        Semaphore held = permitted ? sessionPermits : refusalPermits;
        ConnectionHandler handler = new ConnectionHandler(ids.incrementAndGet(), c, context,
                permitted ? null : "agent busy: " + config.maxSessions() + " sessions running");
        lock.lock();
        try {
            if (shuttingDown) {
                c.close();
                held.release();
                return;
            }
            // Registered under the lock: a shutdown that starts later sees the handler and joins this thread.
            handlers.put(handler, Thread.currentThread());
        } finally {
            lock.unlock();
        }
        try {
            handler.run();
        } finally {
            handlers.remove(handler);
            held.release();
        }
    }

    /** Starts reaping orphans if this agent is PID 1 or a subreaper (made one by {@link #start}). */
    private void startReaper() {
        boolean init = ProcessHandle.current().pid() == 1;
        if (init || config.subreaper()) {
            reaper = Thread.ofVirtual().name("vsockexec orphan reaper").start(this::reapOrphans);
        }
    }

    private void reapOrphans() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int n = OrphanReaper.reapOrphans();
                if (n > 0) {
                    log.debug(() -> "reaped " + n + " orphaned processes");
                }
            } catch (IOException e) {
                log.debug(() -> "reaping orphans failed", e);
            }
            LockSupport.parkNanos(REAP_INTERVAL.toNanos());
        }
    }
}
