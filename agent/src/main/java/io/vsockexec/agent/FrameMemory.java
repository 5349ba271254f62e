package io.vsockexec.agent;

import io.vsockexec.protocol.PayloadMemory;
import io.vsockexec.transport.Connection;
import java.io.IOException;

/**
 * The memory of the frames one connection's reader takes in: each payload is reserved from the
 * agent's {@link MemoryBudget} as its bytes arrive (the reader asks before it grows an array),
 * waiting at most until the connection's deadline (the request timeout, for a request). A frame's
 * reservation lasts until the frame is let go of: released when the next frame is read, or
 * {@linkplain #detach() detached} with the frame by whoever keeps its bytes (the input pump, until
 * it has written them).
 */
final class FrameMemory implements PayloadMemory, AutoCloseable {
    private final MemoryBudget budget;
    private final Connection connection;
    /** What the frame being read, or the last one read, holds; touched only by the connection's reader. */
    private MemoryBudget.Account current;

    FrameMemory(MemoryBudget budget, Connection connection) {
        this.budget = budget;
        this.connection = connection;
        this.current = budget.account();
    }

    @Override
    public void reserve(int bytes) throws IOException {
        current.reserve(bytes, connection.deadline());
    }

    /**
     * The reservation of the last frame read, for the one that keeps its bytes; the next frame
     * gets a new one.
     */
    MemoryBudget.Account detach() {
        MemoryBudget.Account frame = current;
        current = budget.account();
        return frame;
    }

    /** The last frame's bytes are no longer held: its reservation goes back. */
    void releaseFrame() {
        current.close();
    }

    /** Gives back what the last frame holds; the connection reads no more. */
    @Override
    public void close() {
        current.close();
    }
}
