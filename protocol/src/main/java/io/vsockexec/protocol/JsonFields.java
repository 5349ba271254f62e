package io.vsockexec.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every JSON payload mapping ({@link ExecPayloads} and its kin) writes with: Go's {@code omitempty} fields,
 * the size estimates that let a payload's array be allocated once, and the quotes around a
 * base64 string that is streamed between a head and a tail.
 */
final class JsonFields {
    /** More than the names, quotes, colons, commas, brackets and numbers of any payload take. */
    static final int STRUCTURE_BYTES = 128;

    private JsonFields() {}

    static void writeString(JsonWriter out, String field, String value) {
        if (!value.isEmpty()) {
            out.name(field);
            out.string(value);
        }
    }

    /** A flag as Go's {@code omitempty} writes a bool: {@code true}, or nothing. */
    static void writeTrue(JsonWriter out, String field, boolean value) {
        if (value) {
            out.name(field);
            out.bool(true);
        }
    }

    static void writeStrings(JsonWriter out, String field, List<String> values) {
        if (!values.isEmpty()) {
            out.name(field);
            out.startArray();
            for (String value : values) {
                out.string(value);
            }
            out.endArray();
        }
    }

    /** Writes a map in its iteration order; the records keep their maps sorted as Go sorts keys. */
    static void writeMap(JsonWriter out, String field, Map<String, String> map) {
        if (!map.isEmpty()) {
            out.name(field);
            out.startObject();
            for (Map.Entry<String, String> e : map.entrySet()) {
                out.name(e.getKey());
                out.string(e.getValue());
            }
            out.endObject();
        }
    }

    static void writeBytes(JsonWriter out, String field, byte[] value) {
        if (value.length > 0) {
            out.name(field);
            out.base64(value);
        }
    }

    // ---------------------------------------------------------------- size estimates
    //
    // One byte per character and three for the quotes and comma of each string, which is what plain
    // ASCII takes, plus STRUCTURE_BYTES: a usual payload's array is allocated once, with room to
    // spare, and copied once to its exact size. Escapes and non-ASCII make the writer grow it.

    static long sizeOf(List<String> values) {
        long size = 0;
        for (String value : values) {
            size += value.length() + 3;
        }
        return size;
    }

    static long sizeOf(Map<String, String> map) {
        long size = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            size += e.getKey().length() + e.getValue().length() + 6;
        }
        return size;
    }

    static long base64Size(byte[] value) {
        return (value.length + 2L) / 3 * 4;
    }

    // ---------------------------------------------------------------- streamed base64 strings

    /** The writer's bytes and an opening quote: the head of a payload whose base64 string follows. */
    static byte[] quoteOpened(JsonWriter head) {
        byte[] bytes = head.toByteArray();
        byte[] opened = Arrays.copyOf(bytes, bytes.length + 1);
        opened[bytes.length] = '"';
        return opened;
    }

    /** A closing quote and the writer's bytes (a comma first, as the writer wrote one after no value): the tail after a base64 string. */
    static byte[] quoteClosed(JsonWriter tail) {
        byte[] bytes = tail.toByteArray();
        byte[] closed = new byte[bytes.length + 2];
        closed[0] = '"';
        closed[1] = ',';
        System.arraycopy(bytes, 0, closed, 2, bytes.length);
        return closed;
    }
}
