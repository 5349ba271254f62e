package io.vsockexec.cli;

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
 * A TCP service on 127.0.0.1 of this machine, which is the agent's machine in these tests: what a
 * port forward reaches "inside the VM". Each connection is served by a handler on a virtual thread
 * of its own and closed after it. {@link #http(byte[])} is a small HTTP/1.0 file server.
 */
final class TestService implements AutoCloseable {
    /** What the service does with one connection. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    /** What went wrong in a handler, for a test to look at. */
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private TestService(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread.ofVirtual().name("test-service").start(this::acceptLoop);
    }

    static TestService start(Handler handler) throws IOException {
        return new TestService(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
    }

    /**
     * An HTTP/1.0 server, as {@code python3 -m http.server} would serve one file: reads a request's
     * head, answers {@code 200} with {@code body} and its {@code Content-Length}, and closes.
     */
    static Handler http(byte[] body) {
        return socket -> {
            readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(US_ASCII));
            out.write(body);
            out.flush();
        };
    }

    /** Reads up to the blank line that ends an HTTP head; the head's text. */
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
            Thread.ofVirtual().name("test-service-connection").start(() -> {
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
