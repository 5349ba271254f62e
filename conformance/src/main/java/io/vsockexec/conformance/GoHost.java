package io.vsockexec.conformance;

import io.vsockexec.protocol.FileInfo;
import io.vsockexec.protocol.FileResponse;
import io.vsockexec.protocol.FileResultPayloads;
import io.vsockexec.transport.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * matchlock's own host functions for files and port forwarding, as its Go sources have them
 * ({@code pkg/vsock/wire.go} at commit 060d87a): the bytes they send and the way they read the
 * answer, step by step, over a connection to the agent (their {@code net.Conn}). Where our codec
 * would be lenient or strict in another way, this class is not: it writes the header and the
 * payload in two writes as {@code SendMessage} does, marshals each request as {@code json.Marshal}
 * does (written out here, not through our encoder), allocates whatever length a header claims,
 * and ignores the type byte of a file operation's answer. Its failures carry Go's texts.
 */
final class GoHost {
    private static final int HEADER = 5;
    private static final int MSG_TYPE_PORT_FORWARD = 13;
    private static final int MSG_TYPE_WRITE_FILE = 14;
    private static final int MSG_TYPE_READ_FILE = 15;
    private static final int MSG_TYPE_LIST_FILES = 16;
    private static final int MSG_TYPE_STDERR = 4;
    private static final int MSG_TYPE_READY = 6;

    private GoHost() {}

    /** An error as the Go functions return it: its text is Go's. */
    static final class GoError extends IOException {
        private static final long serialVersionUID = 1L;

        GoError(String message) {
            super(message);
        }
    }

    /** Opens a call's connection. */
    @FunctionalInterface
    interface Dialer {
        Connection dial() throws IOException;
    }

    /**
     * {@code WriteFileVsock(conn, path, content, mode)}; a null {@code content} is Go's nil slice.
     * The connection is dialed once the request is built: encoding 16 MiB takes seconds in a
     * loaded user-mode Linux, which an open connection would spend of the agent's request timeout.
     */
    static void writeFile(Dialer dialer, String path, byte[] content, long mode) throws IOException {
        String json = "{\"path\":" + goString(path) + ",\"content\":"
                + (content == null ? "null" : "\"" + Base64.getEncoder().encodeToString(content) + "\"")
                + ",\"mode\":" + mode + "}";
        try (Connection conn = dialer.dial()) {
            fileRpc(conn, MSG_TYPE_WRITE_FILE, json);
        }
    }

    /** {@code ReadFileVsock(conn, path)}. Closes {@code conn}. */
    static byte[] readFile(Connection conn, String path) throws IOException {
        try (conn) {
            return fileRpc(conn, MSG_TYPE_READ_FILE, "{\"path\":" + goString(path) + "}").content().toByteArray();
        }
    }

    /** {@code ListFilesVsock(conn, path)}. Closes {@code conn}. */
    static List<FileInfo> listFiles(Connection conn, String path) throws IOException {
        try (conn) {
            return fileRpc(conn, MSG_TYPE_LIST_FILES, "{\"path\":" + goString(path) + "}").files();
        }
    }

    /**
     * {@code OpenPortForward(conn, host, port)}: after it returns, {@code conn} carries raw bytes.
     * It does not close {@code conn}.
     */
    static void openPortForward(Connection conn, String host, int port) throws IOException {
        String json = "{" + (host.isEmpty() ? "" : "\"host\":" + goString(host) + ",") + "\"port\":" + port + "}";
        sendMessage(conn, MSG_TYPE_PORT_FORWARD, json.getBytes(StandardCharsets.UTF_8));
        byte[] header;
        byte[] data;
        try {
            header = readFull(conn, HEADER);
            data = readFull(conn, length(header));
        } catch (IOException e) {
            throw new GoError("read port-forward response: " + e.getMessage());
        }
        int type = header[0] & 0xFF;
        if (type == MSG_TYPE_READY) {
            return;
        }
        if (type == MSG_TYPE_STDERR) {
            throw new GoError("port-forward rejected: " + new String(data, StandardCharsets.UTF_8));
        }
        throw new GoError("unexpected port-forward response message: type=" + type);
    }

    /** {@code fileRPC}: one request, one answer whose type byte is not looked at. */
    private static FileResponse fileRpc(Connection conn, int type, String json) throws IOException {
        sendMessage(conn, type, json.getBytes(StandardCharsets.UTF_8));
        byte[] header;
        try {
            header = readFull(conn, HEADER);
        } catch (IOException e) {
            throw new GoError("read response header: " + e.getMessage());
        }
        byte[] data;
        try {
            data = readFull(conn, length(header));
        } catch (IOException e) {
            throw new GoError("read response data: " + e.getMessage());
        }
        FileResponse response = FileResultPayloads.decodeFileResponse(data);
        if (!response.error().isEmpty()) {
            throw new GoError("guest file operation: " + response.error());
        }
        return response;
    }

    /** {@code SendMessage}: the header in one write, then the payload, if any, in another. */
    static void sendMessage(Connection conn, int type, byte[] data) throws IOException {
        byte[] header = {(byte) type, (byte) (data.length >>> 24), (byte) (data.length >>> 16),
            (byte) (data.length >>> 8), (byte) data.length};
        conn.output().write(header);
        if (data.length > 0) {
            conn.output().write(data);
        }
    }

    /** The payload length of a header: {@code binary.BigEndian.Uint32(header[1:])}. */
    private static int length(byte[] header) throws IOException {
        long length = ((header[1] & 0xFFL) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                | (header[4] & 0xFF);
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("a payload of " + length + " bytes does not fit a Java array");
        }
        return (int) length;
    }

    /** {@code ReadFull}: exactly {@code n} bytes, or the stream's end as an error. */
    private static byte[] readFull(Connection conn, int n) throws IOException {
        byte[] buf = new byte[n];
        int total = 0;
        while (total < n) {
            int got = conn.input().read(buf, total, n - total);
            if (got < 0) {
                throw new EOFException("EOF");
            }
            total += got;
        }
        return buf;
    }

    /** A string as {@code json.Marshal} writes it, for the plain paths and hosts the tests use. */
    private static String goString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '<', '>', '&' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
