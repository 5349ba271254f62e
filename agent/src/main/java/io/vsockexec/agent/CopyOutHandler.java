package io.vsockexec.agent;

import io.vsockexec.copy.CopyFailure;
import io.vsockexec.copy.CopyTally;
import io.vsockexec.copy.TreeArchive;
import io.vsockexec.protocol.CopyOutRequest;
import io.vsockexec.protocol.CopyPayloads;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.DataFrameOutput;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.TarWriter;
import java.io.IOException;

/**
 * {@code CopyOut}, vsockexec's extension: sends a path of the guest as a tar stream in
 * {@code CopyData} frames of at most 256 KiB ({@link TreeArchive}), the empty frame, then one
 * {@code CopyResult} with the counts. A source that cannot be sent at all is answered by the
 * {@code CopyResult} alone; a failure part way (a file that cannot be read) by a
 * {@code CopyResult} with the error in place of the rest of the stream, which the host takes for
 * a copy cut short. As {@code docker cp}: a path ending in {@code /.} sends a directory's content,
 * a symbolic link is sent as a link unless asked to follow it. Memory: one frame, reserved from the
 * agent's budget, whatever the size.
 */
final class CopyOutHandler extends CopyHandler {
    static final CopyOutHandler INSTANCE = new CopyOutHandler();

    private CopyOutHandler() {
        super(new Kind(MessageType.COPY_OUT, "CopyOut", "copy-out"));
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return new CopyOut(CopyPayloads.decodeCopyOutRequest(payload.bytes()), host, context);
    }

    /** One copy out of the guest. */
    private static final class CopyOut implements Exchange {
        private final CopyOutRequest request;
        private final HostConnection host;
        private final FrameWriter writer;
        private final SessionContext context;
        private final CopyTally tally = new CopyTally();
        private volatile boolean cancelled;

        CopyOut(CopyOutRequest request, HostConnection host, SessionContext context) {
            this.request = request;
            this.host = host;
            this.writer = host.writer();
            this.context = context;
        }

        @Override
        public Outcome run() throws IOException {
            int chunk = bufferSize(context.memory(), DataFrameOutput.CHUNK);
            MemoryBudget.Account buffer = reserveBuffer(context.memory(), chunk, host.connection().deadline());
            try {
                return send(new DataFrameOutput(writer, MessageType.COPY_DATA, chunk));
            } finally {
                buffer.close();
            }
        }

        /** Sends the tree in {@code data}, then the result. */
        private Outcome send(DataFrameOutput data) throws IOException {
            TreeArchive archive;
            try {
                archive = archive(data);
            } catch (CopyFailure e) {
                return CopyReply.fail(writer, e.getMessage());
            }
            try {
                archive.write();
                data.finish();
            } catch (CopyFailure e) {
                data.flush();
                return CopyReply.send(writer, tally.response(e.getMessage()));
            }
            return CopyReply.send(writer, tally.response());
        }

        /** The tree to send, checked before anything is sent. */
        private TreeArchive archive(DataFrameOutput data) throws CopyFailure {
            try {
                return TreeArchive.of(GuestPath.of(request.path()), request.path(), request.followLink(), new TarWriter(data),
                        tally, () -> cancelled);
            } catch (GuestPath.InvalidPathError e) {
                throw new CopyFailure(e.getMessage());
            }
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
        }

        @Override
        public Thread reader() {
            return null;
        }

        @Override
        public String summary() {
            return Launcher.printable(request.path()) + " bytes=" + tally.bytes();
        }
    }
}
