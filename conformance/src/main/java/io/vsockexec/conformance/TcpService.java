package io.vsockexec.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP service on this machine's loopback address, which is the agent's machine too (or the same
 * user-mode Linux kernel): what a port forward connects to. Each accepted connection is served by
 * {@code handler} on a virtual thread of its own, and closed after it.
 */
final class TcpService implements AutoCloseable {
    /** What the service does with one connection. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    /** What went wrong in a handler, for a test to look at. */
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private TcpService(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread.ofVirtual().name("tcp-service").start(this::acceptLoop);
    }

    /** A service on 127.0.0.1 and a port the kernel chose. */
    static TcpService start(Handler handler) throws IOException {
        return new TcpService(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
    }

    /** Sends back every byte it reads, as it reads it, until the peer ends its side; then ends its own. */
    static void echo(Socket s) throws IOException {
        s.getInputStream().transferTo(s.getOutputStream());
        s.shutdownOutput();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().name("tcp-service-connection").start(() -> {
                try (s) {
                    handler.serve(s);
                } catch (Exception e) {
                    failures.add(e);
                }
            });
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
