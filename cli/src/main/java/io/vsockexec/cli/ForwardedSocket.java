package io.vsockexec.cli;

import io.vsockexec.base.ByteCopy;
import io.vsockexec.base.Log;
import io.vsockexec.client.ForwardedConnection;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.client.VsockExecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One local connection that {@code port-forward} accepted, and the connection the agent opens
 * for it in the VM ({@link VsockExecClient#forward(String, int)}). The bytes are copied both ways
 * at once, each direction on a thread of its own through a bounded buffer ({@link ByteCopy}); the
 * end of either side's stream is passed on as a half-close, so a client may send its request, end
 * its side and still read the answer. When both directions have ended, or either fails, both
 * connections are closed.
 *
 * <p>What the user hears of: a forward the agent refuses (nothing listens on the port, the host
 * does not resolve) or cannot be asked for (the agent cannot be reached) is one line, and the
 * local connection is closed; so is a connection to the agent lost midway. A local client that
 * goes away is its own business: a debug line.
 */
final class ForwardedSocket {
    private static final Log LOG = Log.process();

    private final SocketChannel local;
    private final ForwardSpec spec;
    private final PrintStream err;
    /** Set once, by the first failure or by {@link #close()}; later failures are its consequences. */
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ForwardedConnection remote;

    ForwardedSocket(SocketChannel local, ForwardSpec spec, PrintStream err) {
        this.local = local;
        this.spec = spec;
        this.err = err;
    }

    /**
     * Opens the forward and copies until both directions have ended; closes both connections. The
     * calling thread copies the VM's bytes to the local side, a thread of {@code threads} the other way.
     */
    void run(VsockExecClient client, Thread.Builder threads) {
        if (closed.get()) {
            return;
        }
        ForwardedConnection opened;
        try {
            local.setOption(StandardSocketOptions.TCP_NODELAY, true);
            opened = client.forward(spec.remoteHost(), spec.remotePort());
        } catch (IOException | RuntimeException e) {
            closed.set(true);
            report(e);
            closeBoth();
            return;
        }
        remote = opened;
        if (closed.get()) {
            // Closed while the forward was opening (a shutdown): close() may have missed it.
            opened.close();
            return;
        }
        Thread toGuest = threads.name("port-forward to guest").start(() -> toGuest(opened));
        toLocal(opened);
        try {
            toGuest.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Closes both connections, which ends both directions. Idempotent. */
    void close() {
        closed.set(true);
        closeBoth();
    }

    private void toGuest(ForwardedConnection r) {
        try {
            ByteCopy.copy(localInput(), r.output());
            r.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private void toLocal(ForwardedConnection r) {
        try {
            ByteCopy.copy(r.input(), localOutput());
            local.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    /**
     * The first failure closes both connections; the SDK's (the agent refused, cannot be reached,
     * went away) gets a line. Failures after that are what the closing caused.
     */
    private void failed(Exception e) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (e instanceof VsockExecException) {
            report(e);
        } else {
            LOG.debug(() -> "port-forward " + spec.remoteText() + ": the local connection ended: " + ExitCodes.text(e));
        }
        closeBoth();
    }

    /** {@code vsockexec: port forward to 127.0.0.1:80 through EP refused: connect 127.0.0.1:80 failed: ...}. */
    private void report(Exception e) {
        err.println("vsockexec: " + ExitCodes.text(e));
        err.flush();
    }

    private void closeBoth() {
        try {
            local.close();
        } catch (IOException e) {
            // Closing a socket that failed may fail again; it is closed all the same.
        }
        ForwardedConnection r = remote;
        if (r != null) {
            r.close();
        }
    }

    private InputStream localInput() throws IOException {
        return local.socket().getInputStream();
    }

    private OutputStream localOutput() throws IOException {
        return local.socket().getOutputStream();
    }
}
