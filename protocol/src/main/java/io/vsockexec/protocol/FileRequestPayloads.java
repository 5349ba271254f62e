package io.vsockexec.protocol;

import static io.vsockexec.protocol.JsonFields.STRUCTURE_BYTES;
import static io.vsockexec.protocol.JsonFields.base64Size;
import static io.vsockexec.protocol.JsonFields.quoteClosed;
import static io.vsockexec.protocol.JsonFields.quoteOpened;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The JSON of the file requests, written and read as the {@linkplain io.vsockexec.protocol package}
 * describes: {@link WriteFileRequest}, whole or streamed, and {@link FileRequest} (ReadFile,
 * ListFiles).
 */
public final class FileRequestPayloads {
    private static final String[] WRITE_FILE_FIELDS = {"path", "content", "mode"};
    private static final String[] FILE_REQUEST_FIELDS = {"path"};

    private FileRequestPayloads() {}

    /**
     * The JSON of {@code request}: {@code path}, {@code content}, {@code mode}, each always (an
     * empty content is {@code ""}; Go writes a nil one as {@code null}, which decodes the same).
     * For a large file, {@link #writeFileRequest} streams the content instead.
     */
    public static byte[] encode(WriteFileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length() + base64Size(request.content().shared()));
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.name("content");
        out.base64(request.content().shared());
        out.name("mode");
        out.number(request.mode());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link WriteFileRequest} held whole; {@link #decodeWriteFile} reads one as it arrives. */
    public static WriteFileRequest decodeWriteFileRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "WriteFileRequest");
        String path = "";
        byte[] content = null;
        long mode = 0;
        if (in.openObject()) {
            for (String field = in.nextField(WRITE_FILE_FIELDS); field != null; field = in.nextField(WRITE_FILE_FIELDS)) {
                switch (field) {
                    case "path" -> path = in.string(field, path);
                    case "content" -> content = in.base64(field);
                    case "mode" -> mode = in.integer(field, 0, GoFileMode.LARGEST, mode);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new WriteFileRequest(path, Bytes.adopt(content), mode);
    }

    /**
     * A WriteFile request whose content, {@code contentLength} bytes, is streamed into the frame
     * as base64 ({@link StreamedPayload#writeTo}); its JSON is that of {@link #encode(WriteFileRequest)}.
     *
     * @throws IllegalArgumentException if {@code mode} does not fit 32 bits or the length is negative
     */
    public static StreamedPayload writeFileRequest(String path, long contentLength, long mode) {
        GoFileMode.checkU32(mode, "mode");
        JsonWriter head = new JsonWriter(STRUCTURE_BYTES + path.length());
        head.startObject();
        head.name("path");
        head.string(Values.required(path, "path"));
        head.name("content");
        JsonWriter tail = new JsonWriter(STRUCTURE_BYTES);
        tail.name("mode");
        tail.number(mode);
        tail.endObject();
        return new StreamedPayload(quoteOpened(head), contentLength, quoteClosed(tail));
    }

    /**
     * Reads a WriteFile request as it arrives, without holding its content: {@code path} and
     * {@code mode} as values, {@code content} decoded from base64 straight into the stream that
     * {@code content} opens for it (given the path read so far, empty if {@code content} comes
     * first). Fields may come in any order, as in {@link #decodeWriteFileRequest}; a repeated
     * {@code content} opens a new stream, which replaces the earlier one, and {@code null} opens
     * one and writes nothing to it.
     *
     * @param payload the frame's payload, to its end ({@link FrameReader#payload})
     * @return the request with an empty content
     * @throws CorruptFrameException as {@link #decodeWriteFileRequest}, and for a value other than
     *     {@code content} of more than {@value JsonStreamReader#VALUE_LIMIT} bytes
     * @throws IOException if {@code payload} or the content's stream fails
     */
    public static WriteFileRequest decodeWriteFile(InputStream payload, ContentStreams content) throws IOException {
        JsonStreamReader in = new JsonStreamReader(payload, "WriteFileRequest");
        String path = "";
        long mode = 0;
        if (in.openObject()) {
            for (String field = in.nextField(WRITE_FILE_FIELDS); field != null; field = in.nextField(WRITE_FILE_FIELDS)) {
                switch (field) {
                    case "path" -> {
                        JsonReader value = in.value(field);
                        path = value.string(field, path);
                        value.finish();
                    }
                    case "content" -> in.base64(field, content.open(path));
                    case "mode" -> {
                        JsonReader value = in.value(field);
                        mode = value.integer(field, 0, GoFileMode.LARGEST, mode);
                        value.finish();
                    }
                    default -> in.value(field).skipValue();
                }
            }
        }
        in.finish();
        return new WriteFileRequest(path, null, mode);
    }

    /** The JSON of {@code request}: {@code {"path":...}}, the path always. */
    public static byte[] encode(FileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length());
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.endObject();
        return out.toByteArray();
    }

    private static FileRequest decodeFileRequest(byte[] payload, String name) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, name);
        String path = "";
        if (in.openObject()) {
            for (String field = in.nextField(FILE_REQUEST_FIELDS); field != null; field = in.nextField(FILE_REQUEST_FIELDS)) {
                if (field.equals("path")) {
                    path = in.string(field, path);
                } else {
                    in.skipValue();
                }
            }
            in.finish();
        }
        return new FileRequest(path);
    }

    /** Where a streamed {@code content} goes: {@link #decodeWriteFile} opens one stream per {@code content} field. */
    @FunctionalInterface
    public interface ContentStreams {
        /**
         * A stream for the content that starts now, closed by the decoder when the content ends.
         *
         * @param pathSoFar the {@code path} read so far, empty if none came yet
         */
        OutputStream open(String pathSoFar) throws IOException;
    }

    /** Reads the JSON of a ReadFile request. */
    public static FileRequest decodeReadFileRequest(byte[] payload) throws CorruptFrameException {
        return decodeFileRequest(payload, "ReadFileRequest");
    }

    /** Reads the JSON of a ListFiles request. */
    public static FileRequest decodeListFilesRequest(byte[] payload) throws CorruptFrameException {
        return decodeFileRequest(payload, "ListFilesRequest");
    }
}
