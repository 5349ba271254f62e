package io.vsockexec.protocol;

/**
 * A copy's tar stream is not a tar stream this codec reads: a header whose checksum is wrong, a
 * field that is not a number, an entry type a copy does not carry (a GNU sparse file), a pax or
 * GNU long-name header over its bound. The message names the entry when there is one.
 */
public final class TarFormatException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** A malformed archive described by {@code message}. */
    public TarFormatException(String message) {
        super(message);
    }
}
