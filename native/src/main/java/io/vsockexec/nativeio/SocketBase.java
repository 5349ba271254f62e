package io.vsockexec.nativeio;

import java.io.Closeable;

/**
 * What the two socket classes are: the owner of one non-blocking descriptor, open until closed,
 * whose closing wakes every thread blocked on it.
 */
abstract sealed class SocketBase implements Closeable permits NativeSocket, NativeServerSocket {
    final Descriptor descriptor;

    SocketBase(Descriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** True until closed. */
    public final boolean isOpen() {
        return descriptor.isOpen();
    }

    /** Closes the socket, waking any thread blocked on it (in a read, write or accept). Idempotent. */
    @Override
    public final void close() {
        descriptor.close();
    }
}
