package io.vsockexec.agent;

import io.vsockexec.copy.FileErrors;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FileInfo;
import io.vsockexec.protocol.FileRequestPayloads;
import io.vsockexec.protocol.FileResponse;
import io.vsockexec.protocol.FileResultPayloads;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.GoFileMode;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ListFiles}: the entries of a directory, each as {@code lstat} sees it (a symbolic link is
 * itself, {@code ModeSymlink | 0777}, not what it points to), sorted by name as Go's
 * {@code os.ReadDir} sorts them, in one {@code FileResult}. An entry that vanishes while the
 * directory is read is left out, as Go leaves it out.
 */
final class ListFilesHandler extends FileRequestHandler {
    static final ListFilesHandler INSTANCE = new ListFilesHandler();

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    /** The braces of the reply and its {@code "files":[]}. */
    private static final int REPLY_OVERHEAD = 16;

    private ListFilesHandler() {
        super(new Kind(MessageType.LIST_FILES, "ListFiles", "list-files"));
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return new Listing(FileRequestPayloads.decodeListFilesRequest(payload.bytes()).path(), host.writer());
    }

    /** One listing. */
    private static final class Listing extends FileExchange {
        private int entries;

        Listing(String path, FrameWriter writer) {
            super(path, writer);
        }

        @Override
        public Outcome run() throws IOException {
            List<FileInfo> files = new ArrayList<>();
            String error;
            try {
                error = list(GuestPath.of(path()), files);
            } catch (GuestPath.InvalidPathError e) {
                error = e.getMessage();
            }
            if (!error.isEmpty()) {
                return FileReply.send(writer, error);
            }
            files.sort(FileInfo.byName());
            entries = files.size();
            FileReply.send(writer, new FileResponse(null, files, null));
            return Outcome.completed("");
        }

        /** Adds the directory's entries to {@code files}; the error, or empty. */
        private String list(Path dir, List<FileInfo> files) {
            long size = REPLY_OVERHEAD;
            long limit = FrameDescriptor.maxPayload(MessageType.FILE_RESULT, writer.maxPayload());
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path entry : stream) {
                    FileInfo info = describe(entry);
                    if (info == null) {
                        continue;
                    }
                    size += FileResultPayloads.encodedLength(info);
                    if (size > limit) {
                        return "list_files: " + path() + " has more entries than one reply of " + limit
                                + " bytes can hold";
                    }
                    files.add(info);
                }
                return "";
            } catch (DirectoryIteratorException e) {
                return FileErrors.of("readdirent", path(), e.getCause());
            } catch (IOException e) {
                return FileErrors.of("open", path(), e);
            }
        }

        @Override
        public String summary() {
            return summary("entries", entries > 0 ? entries : -1);
        }
    }

    /** The entry as {@code lstat} sees it, or null if it is gone. */
    private static FileInfo describe(Path entry) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(entry, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        int mode = (Integer) a.get("mode");
        return new FileInfo(entry.getFileName().toString(), (Long) a.get("size"), GoFileMode.fromPosix(mode),
                (mode & S_IFMT) == S_IFDIR);
    }
}
