package io.vsockexec.transport;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.NativeSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line protocol that opens a guest port through a VM's host-side Unix socket, as Firecracker
 * and Cloud Hypervisor speak it: the host sends {@code CONNECT PORT\n}; the VM answers
 * {@code OK LOCALPORT\n} and from then on the socket carries the guest stream, or it closes the
 * socket without a word when nothing listens on PORT.
 *
 * <p>Both sides read the line one byte at a time. That costs a few dozen system calls once per
 * connection, and it guarantees that no byte after the newline is consumed: a VM may send stream
 * data in the same segment as its {@code OK}, and those bytes belong to the caller.
 */
final class HybridHandshake {
    /** The longest reply line accepted from a VM, newline included. */
    static final int MAX_REPLY = 64;
    /** The longest request line accepted by the emulated VM, newline included (Firecracker's limit). */
    static final int MAX_REQUEST = 32;

    private static final Pattern REPLY = Pattern.compile("OK ([0-9]{1,10})");
    // Firecracker splits the request on whitespace and compares the keyword case-insensitively.
    private static final Pattern REQUEST = Pattern.compile("\\s*(?i:connect)\\s+([0-9]{1,10})\\s*");

    private HybridHandshake() {}

    /**
     * The host side: asks for the endpoint's guest port and reads the VM's answer.
     *
     * @throws HandshakeException if the VM closes the connection or answers anything but {@code OK <n>}
     * @throws java.net.SocketTimeoutException if the deadline passes first
     */
    static void request(Link socket, HybridEndpoint endpoint, Deadline deadline) throws IOException {
        byte[] request = ("CONNECT " + endpoint.port() + "\n").getBytes(StandardCharsets.US_ASCII);
        socket.write(request, 0, request.length, deadline);
        byte[] line = new byte[MAX_REPLY];
        int length = readLine(socket, line, deadline);
        if (length < 0) {
            throw closedDuringHandshake(endpoint, line, -length - 1);
        }
        if (length == line.length) {
            throw new HandshakeException(endpoint, text(line, length),
                    "handshake reply longer than " + MAX_REPLY + " bytes: " + Text.quote(line, length) + "...");
        }
        if (!REPLY.matcher(text(line, length)).matches()) {
            throw new HandshakeException(endpoint, text(line, length),
                    "unexpected handshake reply " + Text.quote(line, length) + "; expected \"OK <port>\"");
        }
    }

    private static HandshakeException closedDuringHandshake(HybridEndpoint endpoint, byte[] line, int length) {
        if (length == 0) {
            return new HandshakeException(endpoint, "", "the VM closed the connection during the handshake"
                    + " (nothing listens on guest port " + endpoint.port() + "?)");
        }
        return new HandshakeException(endpoint, text(line, length), "the VM closed the connection in the middle"
                + " of its handshake reply " + Text.quote(line, length));
    }

    /**
     * The VM side: reads the client's {@code CONNECT PORT} line.
     *
     * @return the requested port, or empty if the line is malformed, too long or cut short
     */
    static OptionalLong readRequest(NativeSocket socket, Deadline deadline) throws IOException {
        byte[] line = new byte[MAX_REQUEST];
        int length = readLine(new NativeLink(socket), line, deadline);
        if (length < 0 || length == line.length) {
            return OptionalLong.empty();
        }
        Matcher m = REQUEST.matcher(text(line, length));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long port = Long.parseLong(m.group(1));
        return port <= VsockEndpoint.MAX ? OptionalLong.of(port) : OptionalLong.empty();
    }

    /** The VM side: accepts the connection, telling the client the local port assigned to it. */
    static void acknowledge(NativeSocket socket, long localPort, Deadline deadline) throws IOException {
        byte[] reply = ("OK " + localPort + "\n").getBytes(StandardCharsets.US_ASCII);
        socket.write(reply, 0, reply.length, deadline);
    }

    /**
     * Reads up to and including a newline, one byte at a time so that nothing after it is taken.
     *
     * @return the length without the newline; {@code line.length} if the buffer filled up without
     *     one; {@code -(n + 1)} if the stream ended after n bytes
     */
    private static int readLine(Link socket, byte[] line, Deadline deadline) throws IOException {
        int length = 0;
        while (length < line.length) {
            if (socket.read(line, length, 1, deadline) < 0) {
                return -length - 1;
            }
            if (line[length] == '\n') {
                return length;
            }
            length++;
        }
        return length;
    }

    private static String text(byte[] line, int length) {
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }
}
