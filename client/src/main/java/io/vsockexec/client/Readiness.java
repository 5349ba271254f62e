package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.HandshakeException;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Waits for a guest to be ready: for its readiness endpoint (port 5002 by convention, where the
 * agent accepts a connection and closes it) to accept a connection.
 *
 * <pre>{@code
 * Readiness.await(Endpoint.parse("hybrid:///srv/vm1/v.sock:5002"), Deadline.after(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>While a VM boots, its endpoint fails in ways that mean "not yet": the socket file does not
 * exist, the connection is refused or reset, a Firecracker or Cloud Hypervisor socket closes the
 * hybrid handshake because nothing listens on the guest port yet, a vsock CID is unreachable. Those
 * are retried, after 10 ms at first and twice as long each time up to 200 ms, until the deadline.
 * Anything else (permission denied, vsock unavailable on this machine) fails at once.
 */
public final class Readiness {
    /** The first pause between attempts. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
    /** The longest pause between attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofMillis(200);
    /** One attempt may take at most this long, so a stalled handshake does not use up the deadline. */
    static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(5);

    private static final Log LOG = Log.process();
    private static final Set<Integer> NOT_YET = Set.of(Errno.ENOENT, Errno.ECONNREFUSED, Errno.ECONNRESET,
            Errno.ECONNABORTED, Errno.EAGAIN, Errno.ENODEV, Errno.ETIMEDOUT, Errno.EHOSTUNREACH, Errno.ENETUNREACH,
            Errno.EADDRNOTAVAIL, Errno.ENOTCONN);

    private Readiness() {}

    /**
     * Waits until {@code endpoint} accepts a connection, retrying with backoff.
     *
     * @throws NotReadyException if the deadline passes first; the cause is the last attempt's failure
     * @throws ConnectFailedException at once for a failure that retrying cannot cure
     * @throws InterruptedIOException if the thread is interrupted
     * @throws IllegalArgumentException for an endpoint that cannot be dialed ({@code vsock://any:PORT})
     */
    public static void await(Endpoint endpoint, Deadline deadline) throws IOException {
        await(endpoint, deadline, notYet -> { });
    }

    /** {@link #await(Endpoint, Deadline)}, telling {@code onNotReady} about each failed attempt. */
    static void await(Endpoint endpoint, Deadline deadline, Consumer<IOException> onNotReady) throws IOException {
        Objects.requireNonNull(deadline, "deadline");
        Connector.checkDialable(Objects.requireNonNull(endpoint, "endpoint"));
        Duration backoff = FIRST_BACKOFF;
        int attempts = 0;
        while (true) {
            attempts++;
            IOException notYet = attempt(endpoint, deadline);
            if (notYet == null) {
                LOG.debug(() -> endpoint + " ready");
                return;
            }
            onNotReady.accept(notYet);
            if (deadline.hasPassed()) {
                throw new NotReadyException(endpoint + " not ready after "
                        + Durations.format(deadline.budget()) + " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + "): "
                        + ExceptionText.of(notYet), notYet);
            }
            pause(backoff, deadline, endpoint);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Waits at most {@code timeout} until {@code endpoint} accepts a connection; see {@link #await(Endpoint, Deadline)}. */
    public static void await(Endpoint endpoint, Duration timeout) throws IOException {
        await(endpoint, Deadline.after(timeout));
    }

    /**
     * One attempt: true if {@code endpoint} accepts a connection now, false if it fails in a way
     * that means "not ready yet".
     *
     * @throws ConnectFailedException for a failure that retrying cannot cure
     */
    public static boolean isReady(Endpoint endpoint, Deadline deadline) throws IOException {
        Connector.checkDialable(Objects.requireNonNull(endpoint, "endpoint"));
        return attempt(endpoint, Objects.requireNonNull(deadline, "deadline")) == null;
    }

    /** Null when the endpoint accepted, the failure when it is not ready yet; throws otherwise. */
    private static IOException attempt(Endpoint endpoint, Deadline deadline) throws IOException {
        try {
            Transports.dial(endpoint, Deadline.after(ATTEMPT_LIMIT).earliest(deadline), Connector.dialOptions(true))
                    .close();
            return null;
        } catch (SocketTimeoutException timedOut) {
            return new ConnectFailedException("cannot connect to " + endpoint + ": timed out", timedOut);
        } catch (InterruptedIOException e) {
            throw Connector.interrupted("connecting to " + endpoint, e);
        } catch (IOException e) {
            ConnectFailedException failed = Connector.connectFailed(endpoint, e);
            if (notYet(e)) {
                return failed;
            }
            throw failed;
        }
    }

    private static boolean notYet(IOException e) {
        return e instanceof HandshakeException
                || e instanceof ErrnoException errno && NOT_YET.contains(errno.errno());
    }

    private static void pause(Duration backoff, Deadline deadline, Endpoint endpoint) throws InterruptedIOException {
        long nanos = Math.min(backoff.toNanos(), deadline.remainingNanos());
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            throw Connector.interrupted("waiting for " + endpoint + " to be ready", e);
        }
    }
}
