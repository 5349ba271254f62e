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
 * @param reader frames from the host, whose payloads are reserved from the agent's budget as they arrive
 * @param writer frames to the host
 * @param memory the reservation of the frame {@link #reader} read last
 */
record HostConnection(String name, Connection connection, InputStream input, FrameReader reader, FrameWriter writer,
        FrameMemory memory) {
    /** Frames over {@code connection}, none longer than {@code maxFrame} bytes, their payloads reserved from {@code budget}. */
    static HostConnection over(String name, Connection connection, int maxFrame, MemoryBudget budget) {
        InputStream input = new BufferedInputStream(connection.input());
        FrameMemory memory = new FrameMemory(budget, connection);
        return new HostConnection(name, connection, input, new FrameReader(input, maxFrame, memory),
                new FrameWriter(connection.output(), maxFrame), memory);
    }
}
