package io.vsockexec.protocol;

import java.io.IOException;

/**
 * What a {@link FrameReader} tells before it holds more bytes of a payload: an agent counts them
 * against its memory budget and may make the reader wait (the peer's writes then wait too), or
 * refuse. The reader asks only as bytes arrive, never for a whole payload on the word of its
 * header, so a peer that claims a large frame and sends little costs little.
 */
@FunctionalInterface
public interface PayloadMemory {
    /** Counts nothing: the client's readers, whose memory is their caller's business. */
    PayloadMemory UNCOUNTED = bytes -> { };

    /**
     * Called before the reader allocates {@code bytes} more for the payload it is reading; the
     * payload's array will then hold that much more. Returns when the reader may go on.
     *
     * @throws IOException to stop reading: the reader passes it on, and the frame is lost
     */
    void reserve(int bytes) throws IOException;
}
