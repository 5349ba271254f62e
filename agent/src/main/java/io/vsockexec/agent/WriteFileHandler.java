package io.vsockexec.agent;

import io.vsockexec.base.Timeout;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FileRequestPayloads;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.WriteFileRequest;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * {@code WriteFile}: a file of up to 16 MiB, answered by one {@code FileResult} ({@code {}} on
 * success). Its frame may be 22 MB; the payload is left on the connection
 * ({@link #streamsPayload()}) and its content decoded from base64 into the file as it arrives
 * ({@link FileRequestPayloads#decodeWriteFile}, {@link FileWrite}), so the agent holds a few fixed buffers
 * whatever the size. While the payload arrives each read must make progress within the request
 * timeout. A malformed request is still read to its end before the answer, so that the host reads
 * the answer rather than a reset connection.
 */
final class WriteFileHandler extends FileRequestHandler {
    static final WriteFileHandler INSTANCE = new WriteFileHandler();

    private WriteFileHandler() {
        super(new Kind(MessageType.WRITE_FILE, "WriteFile", "write-file"));
    }

    @Override
    public boolean streamsPayload() {
        return true;
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context) {
        return new Write(payload.stream(), host, context.config().requestTimeout());
    }

    /** One write. */
    private static final class Write extends FileExchange {
        private final InputStream payload;
        private final Connection connection;
        private final Duration readLimit;
        private long bytes = -1;

        Write(InputStream payload, HostConnection host, Duration readLimit) {
            super("", host.writer());
            this.payload = payload;
            this.connection = host.connection();
            this.readLimit = readLimit;
        }

        @Override
        public Outcome run() throws IOException {
            connection.readTimeout(Timeout.of(readLimit));
            String error;
            try (FileWrite write = new FileWrite()) {
                try {
                    WriteFileRequest request = FileRequestPayloads.decodeWriteFile(payload, write);
                    path(request.path());
                    error = write.complete(request.path(), request.mode());
                } catch (CorruptFrameException e) {
                    payload.transferTo(OutputStream.nullOutputStream());
                    error = "invalid request: " + e.getMessage();
                }
                bytes = write.written();
            } finally {
                connection.readTimeout(Timeout.NONE);
            }
            return FileReply.send(writer, error);
        }

        @Override
        public String summary() {
            return summary("bytes", bytes);
        }
    }
}
