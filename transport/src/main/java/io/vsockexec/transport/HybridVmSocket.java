package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.nativeio.VsockAddress;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An emulated VM's host-side vsock socket, for developing and testing guest code without a VM:
 * the Unix socket that Firecracker or Cloud Hypervisor would create, answering
 * {@code CONNECT PORT} for the ports this process listens on.
 *
 * <p>All ports on one socket file share one instance (and so one acceptor thread), as they share
 * one VM; the last port's listener to close removes the file. Each accepted connection does its
 * handshake on a virtual thread of its own, limited by a timeout, so a client that stalls holds up
 * nobody else. At most {@link ListenOptions#maxPendingHandshakes()} may be in progress; a further
 * connection sheds the oldest of them, so stalled clients can never lock the others out. A request
 * for a port nobody listens on, a malformed request, a shed handshake and a full backlog are all
 * answered the way a VM answers them: by closing.
 *
 * <p>Accepting goes on whatever fails ({@link AcceptRetry}): out of descriptors, the loop backs
 * off and keeps the socket file; only closing the last port's listener ends it.
 */
final class HybridVmSocket {
    /** Firecracker numbers host-initiated connections' local ports from 2<sup>30</sup> up. */
    static final long LOCAL_PORT_BASE = 1L << 30;

    private static final ReentrantLock REGISTRY_LOCK = new ReentrantLock();
    /** Open sockets by normalized path. Guarded by {@link #REGISTRY_LOCK}. */
    private static final Map<Path, HybridVmSocket> OPEN = new HashMap<>();

    private final Path key;
    private final UnixSocketFile file;
    private final Timeout handshakeTimeout;
    private final int maxPendingHandshakes;
    private final Log log;
    private final AcceptRetry retry;
    /** Listeners by guest port: changed under {@link #REGISTRY_LOCK}, read by handshakes without it. */
    private final Map<Long, HybridPortListener> ports = new ConcurrentHashMap<>();
    private final ReentrantLock handshakesLock = new ReentrantLock();
    /** Guarded by {@link #handshakesLock}: connections in their handshake, oldest first. */
    private final Set<NativeSocket> handshaking = new LinkedHashSet<>();
    /** Guarded by {@link #handshakesLock}: no handshake starts once the socket is shut down. */
    private boolean shutDown;
    private final AtomicLong localPorts = new AtomicLong();

    private HybridVmSocket(Path key, UnixSocketFile file, HybridEndpoint endpoint, ListenOptions options) {
        this.key = key;
        this.file = file;
        this.handshakeTimeout = options.handshakeTimeout();
        this.maxPendingHandshakes = options.maxPendingHandshakes();
        this.log = options.log();
        this.retry = new AcceptRetry("hybrid://" + endpoint.socket(), log);
    }

    /**
     * Listens on the endpoint's guest port, creating the socket file if this process does not
     * serve it yet.
     *
     * @throws ErrnoException EADDRINUSE if this process already listens on that port of that socket,
     *     or another process serves the socket file
     */
    static HybridPortListener listen(HybridEndpoint endpoint, ListenOptions options) throws IOException {
        Path key = endpoint.socket().normalize();
        REGISTRY_LOCK.lock();
        try {
            HybridVmSocket vm = OPEN.get(key);
            if (vm == null) {
                vm = open(key, endpoint, options);
                OPEN.put(key, vm);
            }
            return vm.register(endpoint, options);
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    private static HybridVmSocket open(Path key, HybridEndpoint endpoint, ListenOptions options) throws IOException {
        UnixSocketFile file = UnixSocketFile.listen(endpoint.socket(), endpoint);
        HybridVmSocket vm = new HybridVmSocket(key, file, endpoint, options);
        Thread.ofVirtual().name("hybrid-vm " + key).start(vm::acceptLoop);
        return vm;
    }

    private HybridPortListener register(HybridEndpoint endpoint, ListenOptions options) throws ErrnoException {
        if (ports.containsKey(endpoint.port())) {
            throw ErrnoException.of("listen", endpoint.toString(), Errno.EADDRINUSE);
        }
        HybridPortListener listener = new HybridPortListener(this, endpoint, options);
        ports.put(endpoint.port(), listener);
        return listener;
    }

    /** Called by a port's listener when it closes; the last one closes the socket file. */
    void unregister(HybridPortListener listener) {
        REGISTRY_LOCK.lock();
        try {
            ports.remove(listener.endpoint().port(), listener);
            if (ports.isEmpty()) {
                OPEN.remove(key, this);
                shutdown();
            }
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    private void shutdown() {
        file.close();
        List<NativeSocket> pending;
        handshakesLock.lock();
        try {
            shutDown = true;
            pending = List.copyOf(handshaking);
        } finally {
            handshakesLock.unlock();
        }
        pending.forEach(NativeSocket::close);
    }

    private void acceptLoop() {
        while (file.server().isOpen()) {
            NativeSocket socket = null;
            try {
                socket = file.server().accept(Deadline.none());
                retry.succeeded();
                startHandshake(socket);
            } catch (ClosedChannelException closedByLastListener) {
                return; // the normal end: shutdown() closed the socket
            } catch (IOException | RuntimeException | Error e) {
                if (socket != null) {
                    socket.close();
                }
                if (!file.server().isOpen()) {
                    return;
                }
                retry.failed(e);
            }
        }
    }

    /** Starts the handshake of {@code socket}, first shedding the oldest one in progress if there are too many. */
    private void startHandshake(NativeSocket socket) {
        NativeSocket shed = null;
        handshakesLock.lock();
        try {
            if (shutDown) {
                socket.close();
                return;
            }
            if (handshaking.size() >= maxPendingHandshakes) {
                shed = handshaking.iterator().next();
                handshaking.remove(shed);
            }
            handshaking.add(socket);
        } finally {
            handshakesLock.unlock();
        }
        if (shed != null) {
            log.debug(() -> key + ": " + maxPendingHandshakes + " handshakes in progress; closed the oldest");
            shed.close(); // its handshake thread wakes up and ends
        }
        try {
            Thread.ofVirtual().name("hybrid-handshake " + key).start(() -> handshake(socket));
        } catch (RuntimeException | Error e) {
            forget(socket);
            throw e;
        }
    }

    private void forget(NativeSocket socket) {
        Guarded.run(handshakesLock, () -> handshaking.remove(socket));
    }

    private void handshake(NativeSocket socket) {
        boolean delivered = false;
        try {
            Deadline deadline = handshakeTimeout.start();
            OptionalLong port = HybridHandshake.readRequest(socket, deadline);
            HybridPortListener listener = port.isPresent() ? ports.get(port.getAsLong()) : null;
            if (listener != null) {
                delivered = deliver(socket, listener, nextLocalPort(), deadline);
            }
        } catch (IOException refused) {
            // A client that stalls, hangs up or breaks the connection is refused like any other: by closing.
        } finally {
            forget(socket);
            if (!delivered) {
                socket.close();
            }
        }
    }

    /** Reserves a place in the port's backlog, answers OK, and hands the connection over. */
    private static boolean deliver(NativeSocket socket, HybridPortListener listener, long localPort, Deadline deadline)
            throws IOException {
        HandshakeBacklog backlog = listener.backlog();
        if (!backlog.reserve()) {
            return false;
        }
        try {
            // OK goes out before the listener can see the connection, so it always precedes the
            // bytes the guest side writes.
            HybridHandshake.acknowledge(socket, localPort, deadline);
        } catch (IOException | RuntimeException e) {
            backlog.unreserve();
            throw e;
        }
        VsockAddress peer = VsockAddress.of(VsockEndpoint.CID_HOST, localPort);
        return backlog.deliver(new Connection(socket, listener.endpoint(), peer));
    }

    private long nextLocalPort() {
        return LOCAL_PORT_BASE + Math.floorMod(localPorts.getAndIncrement(), LOCAL_PORT_BASE);
    }
}
