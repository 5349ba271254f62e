package io.vsockexec.protocol;

/**
 * The JSON of vsockexec's copy extension ({@link CopyInRequest}, {@link CopyOutRequest},
 * {@link CopyResponse}), written and read as the {@linkplain io.vsockexec.protocol package}
 * describes for the Go reference's payloads, with the same writers and readers.
 */
public final class CopyPayloads {
    private static final String[] COPY_IN_FIELDS = {"path", "into", "user"};
    private static final String[] COPY_OUT_FIELDS = {"path", "follow_link"};
    private static final String[] COPY_RESPONSE_FIELDS = {"entries", "bytes", "skipped", "warning", "error"};

    private CopyPayloads() {
    }

    /** The JSON of {@code request}: {@code path} always, {@code into} if true, {@code user} if not empty. */
    public static byte[] encode(CopyInRequest request) {
        JsonWriter out = new JsonWriter(JsonFields.STRUCTURE_BYTES + request.path().length() + request.user().length());
        out.startObject();
        out.name("path");
        out.string(request.path());
        JsonFields.writeTrue(out, "into", request.into());
        JsonFields.writeString(out, "user", request.user());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link CopyInRequest}. */
    public static CopyInRequest decodeCopyInRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "CopyInRequest");
        String path = "";
        boolean into = false;
        String user = "";
        if (in.openObject()) {
            for (String field = in.nextField(COPY_IN_FIELDS); field != null; field = in.nextField(COPY_IN_FIELDS)) {
                switch (field) {
                    case "path" -> path = in.string(field, path);
                    case "into" -> into = in.bool(field, into);
                    case "user" -> user = in.string(field, user);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new CopyInRequest(path, into, user);
    }

    /** The JSON of {@code request}: {@code path} always, {@code follow_link} if true. */
    public static byte[] encode(CopyOutRequest request) {
        JsonWriter out = new JsonWriter(JsonFields.STRUCTURE_BYTES + request.path().length());
        out.startObject();
        out.name("path");
        out.string(request.path());
        JsonFields.writeTrue(out, "follow_link", request.followLink());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link CopyOutRequest}. */
    public static CopyOutRequest decodeCopyOutRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "CopyOutRequest");
        String path = "";
        boolean follow = false;
        if (in.openObject()) {
            for (String field = in.nextField(COPY_OUT_FIELDS); field != null; field = in.nextField(COPY_OUT_FIELDS)) {
                switch (field) {
                    case "path" -> path = in.string(field, path);
                    case "follow_link" -> follow = in.bool(field, follow);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new CopyOutRequest(path, follow);
    }

    /**
     * The JSON of {@code response}: {@code entries} and {@code bytes} always, then {@code skipped}
     * if not zero, {@code warning} and {@code error} if not empty.
     */
    public static byte[] encode(CopyResponse response) {
        JsonWriter out = new JsonWriter(JsonFields.STRUCTURE_BYTES + response.warning().length() + response.error().length());
        out.startObject();
        out.name("entries");
        out.number(response.entries());
        out.name("bytes");
        out.number(response.bytes());
        if (response.skipped() != 0) {
            out.name("skipped");
            out.number(response.skipped());
        }
        JsonFields.writeString(out, "warning", response.warning());
        JsonFields.writeString(out, "error", response.error());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link CopyResponse}; the counts must be integers 0 to 2^63-1. */
    public static CopyResponse decodeCopyResponse(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "CopyResponse");
        long entries = 0;
        long bytes = 0;
        long skipped = 0;
        String warning = "";
        String error = "";
        if (in.openObject()) {
            for (String field = in.nextField(COPY_RESPONSE_FIELDS); field != null;
                    field = in.nextField(COPY_RESPONSE_FIELDS)) {
                switch (field) {
                    case "entries" -> entries = in.integer(field, 0, Long.MAX_VALUE, entries);
                    case "bytes" -> bytes = in.integer(field, 0, Long.MAX_VALUE, bytes);
                    case "skipped" -> skipped = in.integer(field, 0, Long.MAX_VALUE, skipped);
                    case "warning" -> warning = in.string(field, warning);
                    case "error" -> error = in.string(field, error);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new CopyResponse(entries, bytes, skipped, warning, error);
    }
}
