package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The one accept loop of the agent's listeners: waits out the errors that are not fatal. */
final class NextConnection {
    /** The pause after a failed accept: a tight loop would spin on a persistent error such as EMFILE. */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(100);

    private NextConnection() {}

    /**
     * The next connection, or null once the listener is closed.
     *
     * @param inKernel wait inside the kernel (for a platform thread), then accept what is pending
     */
    static Connection accept(Listener listener, boolean inKernel, Log log) {
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
                // Out of descriptors or a connection reset before accept: not fatal.
                log.warning("accept on " + listener.endpoint() + " failed: " + e.getMessage());
                LockSupport.parkNanos(PAUSE_AFTER_FAILURE.toNanos());
            }
        }
        return null;
    }
}
