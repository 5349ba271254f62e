package io.vsockexec.agent;

import io.vsockexec.copy.FileErrors;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FileRequestPayloads;
import io.vsockexec.protocol.FileResultPayloads;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.StreamedPayload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code ReadFile}: a regular file of at most 16 MiB, in one {@code FileResult}. The reply's length
 * is computed from the file's size before a byte is read, and the content goes out as base64
 * through two fixed buffers ({@link StreamedPayload}), so the agent never holds the file. A file
 * that shrinks while it is sent cannot fill the frame it announced: the connection is then closed
 * without a complete reply (a file that grows is sent as it was at the start).
 */
final class ReadFileHandler extends FileRequestHandler {
    static final ReadFileHandler INSTANCE = new ReadFileHandler();

    private ReadFileHandler() {
        super(new Kind(MessageType.READ_FILE, "ReadFile", "read-file"));
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return new Read(FileRequestPayloads.decodeReadFileRequest(payload.bytes()).path(), host.writer());
    }

    /** One read. */
    private static final class Read extends FileExchange {
        private long size = -1;

        Read(String path, FrameWriter writer) {
            super(path, writer);
        }

        @Override
        public Outcome run() throws IOException {
            Path file;
            try {
                file = GuestPath.of(path());
            } catch (GuestPath.InvalidPathError e) {
                return FileReply.send(writer, e.getMessage());
            }
            String error = check(file);
            if (!error.isEmpty()) {
                return FileReply.send(writer, error);
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                return FileReply.send(writer, FileErrors.of("open", path(), e));
            }
            try (channel; InputStream content = Channels.newInputStream(channel)) {
                long length = channel.size();
                if (length > FrameDescriptor.MAX_FILE_CONTENT) {
                    return FileReply.send(writer, tooLarge());
                }
                size = length;
                writer.write(MessageType.FILE_RESULT, FileResultPayloads.fileResultWithContent(length), content);
            }
            return Outcome.completed("");
        }

        /**
         * What Go's agent checks after opening, checked before: a FIFO or device opened for reading
         * could block or never end. The error, or empty.
         */
        private String check(Path file) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                return FileErrors.of("open", path(), e);
            }
            if (!a.isRegularFile()) {
                return "read_file only supports regular files: " + path();
            }
            if (a.size() > FrameDescriptor.MAX_FILE_CONTENT) {
                return tooLarge();
            }
            return "";
        }

        private String tooLarge() {
            return "read_file exceeds " + FrameDescriptor.MAX_FILE_CONTENT + " bytes: " + path();
        }

        @Override
        public String summary() {
            return summary("bytes", size);
        }
    }
}
