package io.vsockexec.vm;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import io.vsockexec.transport.UnixEndpoint;
import io.vsockexec.vm.vhost.VhostUserSession;
import io.vsockexec.vm.vsock.HostSide;
import io.vsockexec.vm.vsock.VsockDevice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A virtio-vsock device served over vhost-user, with Firecracker's hybrid vsock as its host side.
 *
 * <pre>{@code
 * try (VsockBackend backend = VsockBackend.start(dir.resolve("vhost.sock"), dir.resolve("vm.sock"), 3)) {
 *     // boot a guest with virtio_uml.device=DIR/vhost.sock:19; then dial hybrid://DIR/vm.sock:5000
 * }
 * }</pre>
 *
 * <p>The back-end listens on the vhost-user socket for a front-end (a guest's virtio driver,
 * such as user-mode Linux's {@code virtio_uml}) and serves one at a time; when one goes away
 * (the guest powered off or crashed) every stream it had is closed and the next front-end is
 * accepted. Host clients connect to the hybrid socket ({@code CONNECT PORT}, then bytes); a guest
 * that connects to CID 2 port P reaches the Unix socket {@code HYBRID_P}.
 */
public final class VsockBackend implements Closeable {
    private static final Log LOG = Log.process();

    private final VsockDevice device;
    private final Listener vhost;
    private final HostSide host;
    private final Path vhostPath;
    private final Thread server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Connection frontEnd;
    private int sessions;
    private boolean closed;

    private VsockBackend(VsockDevice device, Listener vhost, HostSide host, Path vhostPath) {
        this.device = device;
        this.vhost = vhost;
        this.host = host;
        this.vhostPath = vhostPath;
        this.server = Thread.ofPlatform().name("vhost-user " + vhostPath).daemon().unstarted(this::serve);
    }

    /**
     * Listens on the vhost-user socket {@code vhostSocket} and the hybrid socket {@code hybridSocket}
     * (both Unix socket files of mode 0600, removed on close) for a guest of CID {@code guestCid}.
     *
     * @throws IllegalArgumentException for a CID a guest cannot have, or a path a Unix socket cannot have
     * @throws io.vsockexec.nativeio.ErrnoException EADDRINUSE if something live listens at either path
     */
    public static VsockBackend start(Path vhostSocket, Path hybridSocket, long guestCid) throws IOException {
        Objects.requireNonNull(vhostSocket, "vhostSocket");
        Objects.requireNonNull(hybridSocket, "hybridSocket");
        VsockDevice device = new VsockDevice(guestCid);
        Listener vhost = Transports.listen(new UnixEndpoint(vhostSocket.toAbsolutePath()));
        HostSide host;
        try {
            host = HostSide.serve(device, hybridSocket.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            vhost.close();
            throw e;
        }
        VsockBackend backend = new VsockBackend(device, vhost, host, vhostSocket);
        backend.server.start();
        return backend;
    }

    private void serve() {
        try {
            while (true) {
                Connection c = vhost.accept(Deadline.none());
                if (!begin(c)) {
                    return;
                }
                LOG.debug(() -> "vhost-user front-end connected");
                String end = new VhostUserSession(c.descriptor(), device).serve();
                LOG.debug(() -> "vhost-user front-end gone" + (end == null ? "" : ": " + end));
                finish(c);
            }
        } catch (ClosedChannelException stopped) {
            // close()
        } catch (IOException | RuntimeException e) {
            LOG.warning(vhostPath + ": stopped accepting front-ends" + ": " + e);
        }
    }

    private boolean begin(Connection c) {
        lock.lock();
        try {
            if (closed) {
                c.close();
                return false;
            }
            frontEnd = c;
            sessions++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void finish(Connection c) {
        c.close();
        lock.lock();
        try {
            frontEnd = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The guest's CID, as the device's config space holds it. */
    public long guestCid() {
        return device.guestCid();
    }

    /** True while a front-end (a guest's driver) is attached. */
    public boolean frontEndAttached() {
        return device.attached();
    }

    /** The streams between host and guest open now. */
    public int streamCount() {
        return device.streamCount();
    }

    /** The vhost-user socket a front-end connects to. */
    public Path vhostSocket() {
        return vhostPath;
    }

    /** The hybrid socket host clients connect to. */
    public Path hybridSocket() {
        return host.path();
    }

    /** How many front-ends have connected so far. */
    public int sessions() {
        return Guarded.get(lock, () -> sessions);
    }

    /** Waits until the current front-end (if any) has gone; false if it is still there after {@code timeout}. */
    public boolean awaitNoFrontEnd(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (frontEnd != null) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: the guest is told every connection is gone, every stream and the front-end's
     * connection are closed, and both socket files are removed. Idempotent.
     */
    @Override
    public void close() {
        Connection c;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            c = frontEnd;
        } finally {
            lock.unlock();
        }
        device.resetTransport();
        vhost.close();
        host.close();
        if (c != null) {
            c.close();
        }
        try {
            server.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "VsockBackend[" + vhostPath + ", " + host.path() + ", CID " + guestCid() + "]";
    }
}
