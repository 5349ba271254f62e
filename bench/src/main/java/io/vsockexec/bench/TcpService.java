package io.vsockexec.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP service on this machine's loopback address, which is the agent's machine too (or the same
 * user-mode Linux kernel): what a port forward connects to, in the benchmark and in the tests.
 * Each accepted connection is served by a {@link Handler} on a virtual thread of its own, and
 * closed after it.
 *
 * <pre>{@code
 * try (TcpService echo = TcpService.start(TcpService::echo)) {
 *     ... connect to 127.0.0.1:echo.port() ...
 * }
 * }</pre>
 */
public final class TcpService implements AutoCloseable {
    /** What the service does with one connection. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves {@code socket}, which is closed afterwards. A failure ends this connection only:
         * the client on the other side sees it, and the service goes on accepting.
         */
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;

    private TcpService(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread.ofVirtual().name("tcp-service").start(this::acceptLoop);
    }

    /** A service on 127.0.0.1 and a port the kernel chose, accepting until {@link #close()}. */
    public static TcpService start(Handler handler) throws IOException {
        return new TcpService(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
    }

    /** Sends back every byte it reads, as it reads it, until the peer ends its side; then ends its own. */
    public static void echo(Socket s) throws IOException {
        s.getInputStream().transferTo(s.getOutputStream());
        s.shutdownOutput();
    }

    /** The port it listens on. */
    public int port() {
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
                    // This connection's end, which its client sees (see Handler#serve).
                }
            });
        }
    }

    /** Stops accepting; connections being served go on until their handlers return. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}
