package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One HTTP/1.0 {@code GET /} to a port on this machine's loopback address, as curl would make it
 * through a forwarded port: the body is checked against its {@code Content-Length} and digested as
 * it arrives, so that large downloads need no memory.
 */
final class HttpDownload {
    private HttpDownload() {}

    /**
     * The SHA-256 of the body {@code 127.0.0.1:port} answers with.
     *
     * @param patience how long any one read may wait: a broken forward fails rather than hangs
     * @throws EOFException if the body ends before its length, or the connection ends before a head
     */
    static String sha256(int port, Duration patience) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) patience.toMillis());
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
            InputStream in = s.getInputStream();
            long length = contentLength(HttpService.readHead(in));
            MessageDigest digest = sha256();
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("the body ended after " + (length - left) + " of " + length + " bytes");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
            if (in.read() >= 0) {
                throw new IOException("bytes after the body's " + length);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** The SHA-256 of {@code data}, to compare with a download's. */
    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static long contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        throw new IOException("no Content-Length in " + head);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
