package io.vsockexec.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable run of bytes, compared by content: the byte fields of the payload records (a
 * command's input and output, a file's content). A record whose bytes are one of these needs no
 * {@code equals}, {@code hashCode} or defensive copies of its own, and its {@code toString}
 * shows how many bytes it holds, never what they are (they may be secrets).
 *
 * <p>{@link #of} copies the array it is given and {@link #toByteArray} returns a copy, so no
 * one can change the bytes once they are here; the codec reads them in place.
 */
public final class Bytes {
    /** No bytes. */
    public static final Bytes EMPTY = new Bytes(Values.EMPTY_BYTES);

    private final byte[] bytes;
    /** The hash, computed at its first use as {@link String} does: a Bytes may hold a whole file. 0 until then. */
    private int hash;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}; null is {@link #EMPTY}. */
    public static Bytes of(byte[] bytes) {
        return bytes == null ? EMPTY : adopt(bytes.clone());
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        return adopt(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code bytes} itself, which the caller hands over and never touches again, such as an array
     * a decoder made; null is {@link #EMPTY}.
     */
    static Bytes adopt(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    /** How many bytes there are. */
    public int length() {
        return bytes.length;
    }

    /** True when there are none. */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String utf8Text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The array itself, for the codec to read without a copy; never written. */
    byte[] shared() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** The length only: {@code 5 bytes}. */
    @Override
    public String toString() {
        return Values.describe(bytes);
    }
}
