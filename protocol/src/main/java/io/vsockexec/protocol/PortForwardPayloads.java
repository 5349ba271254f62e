package io.vsockexec.protocol;

import static io.vsockexec.protocol.JsonFields.STRUCTURE_BYTES;
import static io.vsockexec.protocol.JsonFields.writeString;

/**
 * The JSON of {@link PortForwardRequest}, written and read as the
 * {@linkplain io.vsockexec.protocol package} describes.
 */
public final class PortForwardPayloads {
    private static final String[] PORT_FORWARD_FIELDS = {"host", "port"};

    private PortForwardPayloads() {}

    /** The JSON of {@code request}: {@code host} if not empty, then {@code port} always. */
    public static byte[] encode(PortForwardRequest request) {
        JsonWriter out = new JsonWriter(STRUCTURE_BYTES + request.host().length());
        out.startObject();
        writeString(out, "host", request.host());
        out.name("port");
        out.number(request.port());
        out.endObject();
        return out.toByteArray();
    }

    /** Reads the JSON of a {@link PortForwardRequest}; {@code port} must be an integer 0 to 65535. */
    public static PortForwardRequest decodePortForwardRequest(byte[] payload) throws CorruptFrameException {
        JsonReader in = new JsonReader(payload, "PortForwardRequest");
        String host = "";
        long port = 0;
        if (in.openObject()) {
            for (String field = in.nextField(PORT_FORWARD_FIELDS); field != null; field = in.nextField(PORT_FORWARD_FIELDS)) {
                switch (field) {
                    case "host" -> host = in.string(field, host);
                    case "port" -> port = in.integer(field, 0, Values.LARGEST_U16, port);
                    default -> in.skipValue();
                }
            }
            in.finish();
        }
        return new PortForwardRequest(host, (int) port);
    }
}
