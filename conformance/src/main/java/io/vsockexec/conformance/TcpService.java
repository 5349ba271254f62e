package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    /**
     * An HTTP/1.0 server of one file, as {@code python3 -m http.server} serves one: reads a
     * request's head, answers {@code 200} with {@code body} and its {@code Content-Length}, and
     * closes.
     */
    static Handler http(byte[] body) {
        return s -> {
            readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(US_ASCII));
            out.write(body);
            out.flush();
        };
    }

    /** Reads up to the blank line that ends an HTTP head, at most 16 KiB; the head's text. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.length() > 16 * 1024) {
                throw new IOException("no complete HTTP head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
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
