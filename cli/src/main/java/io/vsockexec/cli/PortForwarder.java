package io.vsockexec.cli;

import io.vsockexec.client.VsockExecClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The listening side of {@code vsockexec port-forward}: a server socket per mapping, bound all or
 * none, and an accept loop for each on a virtual thread. Each accepted connection gets a forward
 * of its own in the VM ({@link ForwardedSocket}), so many run at once; at most
 * {@value #MAX_CONNECTIONS} at a time, further ones waiting in the listen backlog until one ends.
 * {@link #close()} stops accepting and closes every forwarded connection.
 *
 * <p>The first {@value #PLATFORM_CONNECTIONS} connections at a time are copied by platform threads,
 * further ones by virtual threads. A virtual thread that waits for a socket is woken by a poller
 * thread, which then has a carrier thread woken to run it: two hand-offs each time a buffer drains
 * or fills, which on a small machine cost a bulk transfer a fifth of its throughput (row 11 of the
 * benchmark, docs/PERFORMANCE.md). A platform thread waits in the kernel and is woken by it.
 */
final class PortForwarder implements AutoCloseable {
    /** Connections forwarded at once, each with two bounded buffers and a connection to the agent. */
    static final int MAX_CONNECTIONS = 1024;
    /** Connections copied by platform threads (two each) at once; the rest get virtual threads. */
    static final int PLATFORM_CONNECTIONS = 8;
    /** Connections the kernel holds for an accept loop, as a server's usual backlog. */
    private static final int BACKLOG = 128;
    /** After an accept fails (out of descriptors), so that the loop does not spin on it. */
    private static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);

    private final VsockExecClient client;
    private final List<Listening> listening;
    private final PrintStream err;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Semaphore platformSlots = new Semaphore(PLATFORM_CONNECTIONS);
    private final Set<ForwardedSocket> active = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    /** A bound mapping: its spec, its server socket and the port it got. */
    record Listening(ForwardSpec spec, ServerSocketChannel server, int port) {
        /** {@code Forwarding from 127.0.0.1:8080 -> 127.0.0.1:80}, as kubectl says it. */
        String line() {
            return "Forwarding from " + spec.listenText(port) + " -> " + spec.remoteText();
        }
    }

    private PortForwarder(VsockExecClient client, List<Listening> listening, PrintStream err) {
        this.client = client;
        this.listening = List.copyOf(listening);
        this.err = err;
    }

    /**
     * Binds every mapping's local address, or none: a mapping that cannot listen closes those bound
     * before it.
     *
     * @param err where the lines about single connections go
     * @throws CliException with {@link ExitCodes#FAILURE} naming the address that could not be bound,
     *     {@link ExitCodes#USAGE} for a local address that does not resolve
     */
    static PortForwarder bind(VsockExecClient client, List<ForwardSpec> specs, PrintStream err) {
        List<Listening> bound = new ArrayList<>();
        try {
            for (ForwardSpec spec : specs) {
                bound.add(listen(spec));
            }
            return new PortForwarder(client, bound, err);
        } catch (RuntimeException e) {
            bound.forEach(l -> closeQuietly(l.server()));
            throw e;
        }
    }

    private static Listening listen(ForwardSpec spec) {
        ServerSocketChannel server = null;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(spec.bindHost()), spec.localPort());
            server = ServerSocketChannel.open();
            server.bind(address, BACKLOG);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return new Listening(spec, server, port);
        } catch (UnknownHostException e) {
            // A name the command line gave that names nothing: a wrong command line, as a bad port is.
            closeQuietly(server);
            throw CliException.badCommandLine("invalid forward: local address '" + spec.bindHost()
                    + "' does not resolve", PortForwardCommand.COMMAND.spec().fullName());
        } catch (IOException e) {
            closeQuietly(server);
            throw CliException.failure(ExitCodes.FAILURE, "cannot listen on "
                    + spec.listenText(spec.localPort()) + ": " + ExitCodes.text(e), e);
        }
    }

    /** The line of each mapping, in order. */
    List<String> lines() {
        return listening.stream().map(Listening::line).toList();
    }

    /** The bound mappings, in order. */
    List<Listening> listening() {
        return listening;
    }

    /** Starts accepting on every mapping. */
    void start() {
        for (Listening l : listening) {
            Thread.ofVirtual().name("port-forward accept " + l.port()).start(() -> acceptLoop(l));
        }
    }

    /** Waits until {@link #close()}. */
    void await() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting and closes every forwarded connection. Idempotent. */
    @Override
    public void close() {
        closing = true;
        listening.forEach(l -> closeQuietly(l.server()));
        active.forEach(ForwardedSocket::close);
        stopped.countDown();
    }

    private void acceptLoop(Listening l) {
        while (!closing) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel accepted;
            try {
                accepted = l.server().accept();
            } catch (IOException e) {
                slots.release();
                if (closing || !l.server().isOpen()) {
                    return;
                }
                err.println("vsockexec: accepting on " + l.spec().listenText(l.port()) + " failed: "
                        + ExitCodes.text(e));
                err.flush();
                pause();
                continue;
            }
            serve(new ForwardedSocket(accepted, l.spec(), err));
        }
    }

    private void serve(ForwardedSocket forward) {
        active.add(forward);
        if (closing) {
            // close() may have gone through the set before this one was in it.
            forward.close();
        }
        boolean platform = platformSlots.tryAcquire();
        Thread.Builder threads = platform ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        threads.name("port-forward").start(() -> {
            try {
                forward.run(client, threads);
            } finally {
                active.remove(forward);
                if (platform) {
                    platformSlots.release();
                }
                slots.release();
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket releases its port whatever close reports.
        }
    }
}
