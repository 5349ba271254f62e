package io.vsockexec.agent;

import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.transport.Connection;
import java.io.BufferedInputStream;
import java.io.InputStream;

/**
 * The connection to the host as a session uses it.
 *
 * @param name the session's name in log lines and thread names, e.g. {@code session 7}
 * @param connection the connection itself: its descriptor, deadlines, half-close
 * @param input the connection's input as {@link #reader} reads it, buffered: what follows the
 *     frames already read (raw bytes after a port forward's {@code Ready}) is read from here, never
 *     from the connection directly, which would skip what the buffer holds
 * @param reader frames from the host
 * @param writer frames to the host
 */
record HostConnection(String name, Connection connection, InputStream input, FrameReader reader, FrameWriter writer) {
    /** Frames over {@code connection}, none longer than {@code maxFrame} bytes. */
    static HostConnection over(String name, Connection connection, int maxFrame) {
        InputStream input = new BufferedInputStream(connection.input());
        return new HostConnection(name, connection, input, new FrameReader(input, maxFrame),
                new FrameWriter(connection.output(), maxFrame));
    }
}
