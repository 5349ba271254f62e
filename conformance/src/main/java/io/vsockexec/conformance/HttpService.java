package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vsockexec.bench.TcpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The HTTP side of the port-forward checks: a one-file server for a {@link TcpService}, and the head reader both ends use. */
final class HttpService {
    private HttpService() {}

    /**
     * An HTTP/1.0 server of one file, as {@code python3 -m http.server} serves one: reads a
     * request's head, answers {@code 200} with {@code body} and its {@code Content-Length}, and
     * closes.
     */
    static TcpService.Handler of(byte[] body) {
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
}
