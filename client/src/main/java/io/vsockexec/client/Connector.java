package io.vsockexec.client;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Timeout;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.DialOptions;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.HandshakeException;
import io.vsockexec.transport.TcpEndpoint;
import io.vsockexec.transport.Transports;
import io.vsockexec.transport.VsockEndpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Dials endpoints and restates the transport's failures as the SDK's typed exceptions. */
final class Connector {
    private Connector() {}

    /**
     * Rejects endpoints that can be listened on but never dialed, at once rather than at the first exec.
     *
     * @throws IllegalArgumentException for {@code vsock://any:PORT}, a vsock port of any, or TCP port 0
     */
    static Endpoint checkDialable(Endpoint endpoint) {
        // instanceof rather than a pattern switch, whose bootstrap generates a class at run time:
        // this is on every command line's path.
        boolean listenOnly = endpoint instanceof VsockEndpoint v
                        && (v.cid() == VsockEndpoint.CID_ANY || v.port() == VsockEndpoint.PORT_ANY)
                || endpoint instanceof TcpEndpoint t && t.port() == 0;
        if (listenOnly) {
            throw new IllegalArgumentException("cannot connect to " + endpoint
                    + ": \"any\" and port 0 are only for listening; name the VM's CID and port");
        }
        return endpoint;
    }

    /**
     * Connects within the connect limit and the exec's deadline, whichever ends first.
     *
     * @param execDeadline the deadline of the whole exec, from its {@link Command#timeout()}
     * @param execTimeout that timeout, for messages
     * @param subject what the call is about, for messages: {@code command}, {@code ReadFile /etc/hosts}
     * @param callerOnly true when only the calling thread will read and write the connection
     * @throws ConnectFailedException if the agent cannot be reached
     * @throws ExecTimeoutException if the exec's deadline passed while connecting
     * @throws InterruptedIOException if the thread was interrupted
     */
    static Connection connect(Endpoint endpoint, ClientOptions options, Deadline execDeadline, Timeout execTimeout,
            String subject, boolean callerOnly) throws IOException {
        Deadline dialDeadline = options.connectTimeout().start().earliest(execDeadline);
        try {
            return Transports.dial(endpoint, dialDeadline, dialOptions(options, callerOnly));
        } catch (SocketTimeoutException e) {
            if (execDeadline.hasPassed()) {
                throw new ExecTimeoutException(subject + " on " + endpoint + " timed out after "
                        + Durations.format(execTimeout.duration()) + " while connecting", execTimeout.duration(), e);
            }
            throw new ConnectFailedException("cannot connect to " + endpoint + ": timed out after "
                    + Durations.format(options.connectTimeout().duration()), e);
        } catch (InterruptedIOException e) {
            throw interrupted("connecting to " + endpoint, e);
        } catch (IOException e) {
            throw connectFailed(endpoint, e);
        }
    }

    /**
     * How a call dials: through the JDK's channels where the options ask for them
     * ({@link ClientOptions#jdkChannels()}) and only the calling thread will use the connection.
     */
    static DialOptions dialOptions(ClientOptions options, boolean callerOnly) {
        return dialOptions(options.jdkChannels() && callerOnly);
    }

    /**
     * The JDK's channels when only the calling platform thread will use the connection: a process
     * then needs no native binding to dial, which saves a command line's start tens of
     * milliseconds. A connection that virtual threads serve stays on the native layer, whose
     * pollers, unlike the JDK's, do not hold up the JVM's exit.
     */
    static DialOptions dialOptions(boolean callerOnly) {
        return DialOptions.defaults().jdkChannel(callerOnly && !Thread.currentThread().isVirtual());
    }

    /** {@code cannot connect to ENDPOINT: REASON}, with the reason stripped of what the message repeats. */
    static ConnectFailedException connectFailed(Endpoint endpoint, IOException e) {
        String prefix = "cannot connect to " + endpoint + ": ";
        return switch (e) {
            case HandshakeException h -> new HandshakeRefusedException(prefix + strip(h.getMessage(), endpoint + ": "), h);
            case ErrnoException errno -> new ConnectFailedException(prefix + reason(errno), errno);
            case UnknownHostException u -> new ConnectFailedException(prefix + "unknown host (" + u.getMessage() + ")", u);
            default -> new ConnectFailedException(prefix + ExceptionText.of(e), e);
        };
    }

    /** The part of an errno message after {@code OPERATION TARGET: }, e.g. {@code ENOENT (No such file or directory)}. */
    static String reason(ErrnoException e) {
        String prefix = e.operation() + (e.target() == null ? "" : " " + e.target()) + ": ";
        return strip(e.getMessage(), prefix);
    }

    /**
     * An {@link InterruptedIOException} saying what was interrupted. The thread's interrupt status
     * is set again, so code further up still sees it.
     */
    static InterruptedIOException interrupted(String what, Throwable cause) {
        Thread.currentThread().interrupt();
        InterruptedIOException e = new InterruptedIOException(what + " was interrupted");
        e.initCause(cause);
        return e;
    }

    private static String strip(String message, String prefix) {
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }
}
