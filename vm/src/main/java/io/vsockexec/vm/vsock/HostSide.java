package io.vsockexec.vm.vsock;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.transport.HybridServerSocket;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The device's host side, as Firecracker lays it out: host clients connect to the hybrid socket
 * {@code PATH} and ask for a guest port ({@code CONNECT PORT}, answered {@code OK N} once the
 * guest accepts); a guest that connects to the host's CID on port P is connected to the Unix
 * socket {@code PATH_P}, if something listens there.
 *
 * <p>Each host client's handshake runs on a virtual thread of its own, limited in time, at most
 * {@link #MAX_PENDING} at once; further clients are closed at once.
 */
public final class HostSide implements Closeable {
    /** Handshakes (and guest connects) in progress at once: as many as there may be streams. */
    static final int MAX_PENDING = VsockDevice.MAX_STREAMS;
    /** The limit for a host client to send its {@code CONNECT} line. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** How long the guest has to accept a host client's connection. */
    static final Duration GUEST_ACCEPT_TIMEOUT = Duration.ofSeconds(10);
    /** How long connecting to a host listener for the guest may take. */
    static final Duration HOST_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Firecracker numbers host-initiated connections' local ports from 2<sup>30</sup> up. */
    static final int LOCAL_PORT_BASE = 1 << 30;
    private static final Log LOG = Log.process();

    private final VsockDevice device;
    private final HybridServerSocket server;
    private final Path path;
    private final Semaphore pending = new Semaphore(MAX_PENDING);
    private final Set<NativeSocket> handshaking = ConcurrentHashMap.newKeySet();
    private final AtomicInteger localPorts = new AtomicInteger();
    private final Thread acceptor;

    private HostSide(VsockDevice device, HybridServerSocket server) {
        this.device = device;
        this.server = server;
        this.path = server.path();
        this.acceptor = Thread.ofVirtual().name("vsock-host " + path).unstarted(this::acceptLoop);
    }

    /**
     * Serves {@code device}'s host side on the hybrid socket {@code path}.
     *
     * @throws io.vsockexec.nativeio.ErrnoException EADDRINUSE if something live listens there
     */
    public static HostSide serve(VsockDevice device, Path path) throws IOException {
        HostSide side = new HostSide(device, HybridServerSocket.listen(path));
        device.hostSide(side);
        side.acceptor.start();
        return side;
    }

    /** The hybrid socket's path. */
    public Path path() {
        return path;
    }

    private void acceptLoop() {
        try {
            while (true) {
                NativeSocket client = server.accept(Deadline.none());
                if (pending.tryAcquire()) {
                    handshaking.add(client);
                    Thread.ofVirtual().name("vsock-handshake").start(() -> handshake(client));
                } else {
                    client.close();
                }
            }
        } catch (ClosedChannelException closed) {
            // close() stopped it
        } catch (IOException | RuntimeException e) {
            LOG.warning(path + ": stopped accepting host clients" + ": " + e);
        }
    }

    private void handshake(NativeSocket client) {
        boolean handedOver = false;
        try {
            OptionalLong port = HybridServerSocket.readConnect(client, Deadline.after(HANDSHAKE_TIMEOUT));
            if (port.isPresent()) {
                handedOver = connectToGuest(client, (int) port.getAsLong());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(() -> "host client refused", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handshaking.remove(client);
            pending.release();
            if (!handedOver) {
                client.close();
            }
        }
    }

    /** Asks the guest for the port; once it accepts, OK goes to the client and the stream runs. */
    private boolean connectToGuest(NativeSocket client, int guestPort) throws IOException, InterruptedException {
        VsockStream s = device.openFromHost(guestPort, client, this::nextLocalPort);
        if (s == null) {
            return false;
        }
        if (!s.awaitAccepted(GUEST_ACCEPT_TIMEOUT)) {
            s.close(true);
            return true; // the stream owned the socket and closed it
        }
        try {
            HybridServerSocket.acknowledge(client, Integer.toUnsignedLong(s.key().hostPort()),
                    Deadline.after(HANDSHAKE_TIMEOUT));
        } catch (IOException e) {
            s.close(true);
            return true;
        }
        s.startPumps();
        return true;
    }

    private int nextLocalPort() {
        return LOCAL_PORT_BASE + Math.floorMod(localPorts.getAndIncrement(), LOCAL_PORT_BASE);
    }

    /** Connects a guest's new stream to {@code PATH_PORT}, on a thread of its own; the guest gets RESPONSE or RST. */
    void connectForGuest(VsockStream s) {
        if (!pending.tryAcquire()) {
            s.close(true);
            return;
        }
        Thread.ofVirtual().name("vsock-connect " + s.key()).start(() -> {
            try {
                Path target = Path.of(path + "_" + Integer.toUnsignedString(s.key().hostPort()));
                NativeSocket socket = NativeSocket.connect(UnixDomainSocketAddress.of(target),
                        Deadline.after(HOST_CONNECT_TIMEOUT));
                if (!s.hostConnected(socket)) {
                    socket.close();
                    return;
                }
                device.rx().control(s, VsockOp.RESPONSE, 0);
                s.startPumps();
            } catch (IOException | RuntimeException e) {
                LOG.debug(() -> s.key() + ": no host listener for the guest", e);
                s.close(true);
            } finally {
                pending.release();
            }
        });
    }

    /** Stops accepting host clients and removes the socket file; open streams are the device's. */
    @Override
    public void close() {
        server.close();
        handshaking.forEach(NativeSocket::close);
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
