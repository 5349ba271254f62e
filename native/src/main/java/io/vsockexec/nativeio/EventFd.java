package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.VhostLibc;
import java.io.IOException;
import java.util.Objects;

/**
 * Event descriptors (eventfd(2)): a counter that one side adds to by writing 8 bytes and the
 * other side takes (and so waits for) by reading 8 bytes. Virtio front-ends and back-ends notify
 * each other through them.
 */
public final class EventFd {
    /** Every read and write of an event descriptor moves exactly this many bytes. */
    public static final int VALUE_BYTES = 8;

    private EventFd() {}

    /**
     * A new event descriptor, at 0, non-blocking; read and write it through the
     * {@link Descriptor}, 8 bytes at a time.
     *
     * @param name what it is, for messages
     */
    public static Descriptor create(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        int fd = ErrnoException.check(VhostLibc.eventfd(), "eventfd", name);
        return Descriptor.adopt(fd, name);
    }
}
