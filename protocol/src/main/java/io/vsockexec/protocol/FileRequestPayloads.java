package io.vsockexec.protocol;

import static io.vsockexec.protocol.JsonFields.STRUCTURE_BYTES;
import static io.vsockexec.protocol.JsonFields.base64Size;
import static io.vsockexec.protocol.JsonFields.quoteClosed;
import static io.vsockexec.protocol.JsonFields.quoteOpened;

import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON of the file requests, as {@link Payloads} documents it: {@link WriteFileRequest}, whole
 * or streamed, and {@link FileRequest} (ReadFile, ListFiles).
 */
final class FileRequestPayloads {
    private static final String[] WRITE_FILE_FIELDS = {"path", "content", "mode"};
    private static final String[] FILE_REQUEST_FIELDS = {"path"};

    private FileRequestPayloads() {}

    static byte[] encode(WriteFileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length() + base64Size(request.sharedContent()));
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.name("content");
        out.base64(request.sharedContent());
        out.name("mode");
        out.number(request.mode());
        out.endObject();
        return out.toByteArray();
    }

    static WriteFileRequest decodeWriteFileRequest(byte[] payload) throws CorruptFrameException {
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
        return new WriteFileRequest(path, content, mode);
    }

    static StreamedPayload writeFileRequest(String path, long contentLength, long mode) {
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

    static WriteFileRequest decodeWriteFile(InputStream payload, Payloads.ContentStreams content) throws IOException {
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

    static byte[] encode(FileRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.path().length());
        out.startObject();
        out.name("path");
        out.string(request.path());
        out.endObject();
        return out.toByteArray();
    }

    static FileRequest decodeFileRequest(byte[] payload, String name) throws CorruptFrameException {
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
}
