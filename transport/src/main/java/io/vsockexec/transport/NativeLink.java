package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
import java.net.SocketAddress;

/** A link over a socket of the native layer: every listener's connections, and dials by default. */
record NativeLink(NativeSocket socket) implements Link {
    @Override
    public int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        return socket.read(b, off, len, deadline);
    }

    @Override
    public int available() throws IOException {
        return socket.descriptor().availableBytes();
    }

    @Override
    public void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        socket.write(b, off, len, deadline);
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    @Override
    public Descriptor descriptor() {
        return socket.descriptor();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        socket.close();
    }
}
