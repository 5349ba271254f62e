package io.vsockexec.protocol;

import static io.vsockexec.protocol.JsonFields.STRUCTURE_BYTES;
import static io.vsockexec.protocol.JsonFields.base64Size;
import static io.vsockexec.protocol.JsonFields.quoteOpened;
import static io.vsockexec.protocol.JsonFields.writeBytes;
import static io.vsockexec.protocol.JsonFields.writeString;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@link FileResponse}, the FileResult of every file request, written and read as the
 * {@linkplain io.vsockexec.protocol package} describes: whole, or with its content streamed either way.
 */
public final class FileResultPayloads {
    private static final String[] FILE_RESPONSE_FIELDS = {"content", "files", "error"};
    private static final String[] FILE_INFO_FIELDS = {"name", "size", "mode", "is_dir"};

    private FileResultPayloads() {}

    /**
     * The JSON of {@code response}: {@code content}, {@code files}, {@code error}, each only if not
     * empty, so a successful write is {@code {}}; each entry of {@code files} has all four of its
     * fields. For a large file, {@link #fileResultWithContent} streams the content instead.
     */
    public static byte[] encode(FileResponse response) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + base64Size(response.content().shared())
                + sizeOfFiles(response.files()) + response.error().length());
        out.startObject();
        writeBytes(out, "content", response.content().shared());
        if (!response.files().isEmpty()) {
            out.name("files");
            out.startArray();
            for (FileInfo f : response.files()) {
                writeFileInfo(out, f);
            }
            out.endArray();
        }
        writeString(out, "error", response.error());
        out.endObject();
        return out.toByteArray();
    }

    /**
     * The length of {@code info}'s JSON as an element of {@code files}, comma included: what a
     * listing adds to its reply, so that the agent can stop before a reply outgrows its frame.
     */
    public static long encodedLength(FileInfo info) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + info.name().length());
        writeFileInfo(out, info);
        return out.toByteArray().length + 1L;
    }

    private static void writeFileInfo(JsonWriter out, FileInfo f) {
        out.startObject();
        out.name("name");
        out.string(f.name());
        out.name("size");
        out.number(f.size());
        out.name("mode");
        out.number(f.mode());
        out.name("is_dir");
        out.bool(f.isDir());
        out.endObject();
    }

    /**
     * A FileResult that carries {@code contentLength} bytes of a file, streamed into the frame as
     * base64 ({@link StreamedPayload#writeTo}): {@code {"content":"..."}}, or {@code {}} for an
     * empty file, as {@link #encode(FileResponse)} writes them.
     */
    public static StreamedPayload fileResultWithContent(long contentLength) {
        if (contentLength == 0) {
            return new StreamedPayload(new byte[] {'{'}, 0, new byte[] {'}'});
        }
        JsonWriter head = new JsonWriter(STRUCTURE_BYTES);
        head.startObject();
        head.name("content");
        return new StreamedPayload(quoteOpened(head), contentLength, new byte[] {'"', '}'});
    }

    /** Reads the JSON of a {@link FileResponse} held whole. */
    public static FileResponse decodeFileResponse(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "FileResponse");
        byte[] content = null;
        List<FileInfo> files = null;
        String error = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_RESPONSE_FIELDS); field != null; field = in.nextField(FILE_RESPONSE_FIELDS)) {
                switch (field) {
                    case "content" -> content = in.base64(field);
                    case "files" -> files = readFileInfos(in, field);
                    case "error" -> error = in.string(field, error);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new FileResponse(Bytes.adopt(content), files, error);
    }

    /**
     * Reads a FileResult as it arrives, with its {@code content} decoded from base64 straight into
     * {@code content} rather than held: for a host that reads a file of up to 16 MiB into a stream.
     * The other fields are read as values, each of at most {@value JsonStreamReader#VALUE_LIMIT}
     * bytes (a listing is read whole with {@link #decodeFileResponse}).
     *
     * @return the response with an empty content
     */
    public static FileResponse decodeFileResult(InputStream payload, OutputStream content) throws IOException {
        JsonStreamReader in = new JsonStreamReader(payload, "FileResponse");
        List<FileInfo> files = null;
        String error = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_RESPONSE_FIELDS); field != null; field = in.nextField(FILE_RESPONSE_FIELDS)) {
                switch (field) {
                    case "content" -> in.base64(field, new Unclosed(content));
                    case "files" -> {
                        JsonReader value = in.value(field);
                        files = readFileInfos(value, field);
                        value.finish();
                    }
                    case "error" -> {
                        JsonReader value = in.value(field);
                        error = value.string(field, error);
                        value.finish();
                    }
                    default -> in.value(field).skipValue();
                }
            }
        }
        in.finish();
        return new FileResponse(null, files, error);
    }

    private static List<FileInfo> readFileInfos(JsonReader in, String field) throws CorruptFrameException {
        List<FileInfo> files = new ArrayList<>();
        if (!in.openArray(field, "an array of objects")) {
            return files;
        }
        for (boolean first = true; in.nextInArray(first); first = false) {
            String element = field + "[" + files.size() + "]";
            String name = "";
            long size = 0;
            long mode = 0;
            boolean isDir = false;
            if (in.openNestedObject(element)) {
                for (String f = in.nextInObject(true, FILE_INFO_FIELDS); f != null; f = in.nextInObject(false, FILE_INFO_FIELDS)) {
                    switch (f) {
                        case "name" -> name = in.string(element + ".name", name);
                        case "size" -> size = in.integer(element + ".size", Long.MIN_VALUE, Long.MAX_VALUE, size);
                        case "mode" -> mode = in.integer(element + ".mode", 0, GoFileMode.LARGEST, mode);
                        case "is_dir" -> isDir = in.bool(element + ".is_dir", isDir);
                        default -> in.skipValue();
                    }
                }
            }
            files.add(new FileInfo(name, size, mode, isDir));
        }
        return files;
    }

    private static long sizeOfFiles(List<FileInfo> files) {
        long size = 0;
        for (FileInfo f : files) {
            size += f.name().length() + 64;
        }
        return size;
    }

    /** A stream the decoder may close without closing the caller's. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
