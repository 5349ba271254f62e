package io.vsockexec.conformance;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Connections a test opens to an agent and holds without a request, all closed after the test. */
final class Peers implements Closeable {
    private final List<Closeable> open = new ArrayList<>();

    /** A connection to {@code endpoint} that sends nothing. */
    Connection idle(Endpoint endpoint) throws IOException {
        Connection c = Transports.dial(endpoint, Deadline.after(Processes.PATIENCE));
        open.add(c);
        return c;
    }

    /** A bare connection to the emulated VM socket file {@code vmSocket}, before any handshake. */
    NativeSocket vmSocket(Path vmSocket) throws IOException {
        NativeSocket s = NativeSocket.connect(UnixDomainSocketAddress.of(vmSocket), Deadline.after(Processes.PATIENCE));
        open.add(s);
        return s;
    }

    /** Every peer so far, oldest first. */
    List<Closeable> all() {
        return Collections.unmodifiableList(open);
    }

    @Override
    public void close() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
    }
}
