package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.transport.AcceptRetry;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * The one accept loop of one of the agent's listeners, shared by every thread that accepts on it:
 * it goes on until the listener is closed, whatever fails. Running out of descriptors or memory
 * is one warning per episode and a back-off ({@link AcceptRetry}); the listener and its socket
 * file stay, and accepting resumes when the resources come back.
 */
final class NextConnection {
    private final Listener listener;
    private final AcceptRetry retry;

    NextConnection(Listener listener, Log log) {
        this.listener = listener;
        this.retry = new AcceptRetry(listener.endpoint().toString(), log);
    }

    Listener listener() {
        return listener;
    }

    /**
     * The next connection, or null once the listener is closed.
     *
     * @param inKernel wait inside the kernel (for a platform thread), then accept what is pending
     */
    Connection accept(boolean inKernel) {
        while (listener.isOpen()) {
            try {
                Connection c = acceptOnce(inKernel);
                if (c != null) {
                    retry.succeeded();
                    return c;
                }
            } catch (SocketTimeoutException e) {
                // Another thread accepted the pending connection first: wait again.
            } catch (ClosedChannelException e) {
                return null;
            } catch (IOException | RuntimeException | Error e) {
                if (!listener.isOpen()) {
                    return null;
                }
                retry.failed(e);
            }
        }
        return null;
    }

    /** A connection, or null if the wait ended without one. */
    private Connection acceptOnce(boolean inKernel) throws IOException {
        if (!inKernel) {
            return listener.accept(Deadline.none());
        }
        return listener.awaitConnection(Deadline.none()) ? listener.accept(Deadline.after(Duration.ZERO)) : null;
    }
}
