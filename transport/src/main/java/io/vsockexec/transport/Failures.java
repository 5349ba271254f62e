package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.ErrnoException;
import java.net.SocketTimeoutException;

/**
 * Restates failures from the native layer in terms of the endpoint. The native layer names the
 * raw address ({@code /run/vm.sock}); a user thinks in endpoints ({@code hybrid:///run/vm.sock:5000}).
 */
final class Failures {
    private Failures() {}

    /** {@code OPERATION ENDPOINT: timed out after BUDGET}. */
    static SocketTimeoutException timeout(String operation, Endpoint endpoint, Deadline deadline, Throwable cause) {
        SocketTimeoutException e = deadline.timedOut(operation + " " + endpoint);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The same errno for the same operation, naming the endpoint instead of the raw address. */
    static ErrnoException renamed(ErrnoException e, Endpoint endpoint) {
        ErrnoException named = ErrnoException.of(e.operation(), endpoint.toString(), e.errno());
        named.initCause(e);
        return named;
    }
}
