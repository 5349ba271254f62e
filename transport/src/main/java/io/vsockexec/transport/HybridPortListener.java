package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import java.io.IOException;

/**
 * One guest port of an emulated hybrid VM socket: its {@link HandshakeBacklog} of connections
 * that completed the handshake, waiting for {@link #accept}.
 */
final class HybridPortListener implements Listener {
    private final HybridVmSocket vm;
    private final HybridEndpoint endpoint;
    private final HandshakeBacklog backlog;

    HybridPortListener(HybridVmSocket vm, HybridEndpoint endpoint, ListenOptions options) {
        this.vm = vm;
        this.endpoint = endpoint;
        this.backlog = new HandshakeBacklog(endpoint, options);
    }

    @Override
    public Connection accept(Deadline deadline) throws IOException {
        return backlog.take(deadline);
    }

    @Override
    public boolean awaitConnection(Deadline deadline) throws IOException {
        return backlog.awaitConnection(deadline);
    }

    /** Where the handshakes place this port's connections. */
    HandshakeBacklog backlog() {
        return backlog;
    }

    @Override
    public HybridEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isOpen() {
        return backlog.isOpen();
    }

    /** Stops listening on this port, closing connections nobody accepted; the last port closes the socket file. */
    @Override
    public void close() {
        if (backlog.close()) {
            vm.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "Listener[" + endpoint + "]";
    }
}
