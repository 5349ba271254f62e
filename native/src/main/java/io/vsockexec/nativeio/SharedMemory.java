package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.VhostLibc;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A file mapped shared into this process, such as a VM's memory handed over by its monitor:
 * what the other process writes is seen here and the other way round.
 *
 * <p>The memory is reached only through {@link #segment()}, which checks every access against
 * the mapping's bounds: an offset a peer got wrong throws {@link IndexOutOfBoundsException}
 * rather than reading or writing outside. {@link #close()} unmaps it; from then on every access
 * through the segment, from any thread, throws {@link IllegalStateException}, never touches
 * unmapped memory.
 */
public final class SharedMemory implements Closeable {
    private final Arena arena;
    private final MemorySegment segment;
    private final String name;

    /** Takes over the mapping of {@code size} bytes at {@code address}: closing its arena unmaps it. */
    private SharedMemory(long address, long size, String name) {
        this.arena = Arena.ofShared();
        this.segment = MemorySegment.ofAddress(address)
                .reinterpret(size, arena, unmapped -> VhostLibc.unmap(address, size));
        this.name = name;
    }

    /**
     * Maps the first {@code size} bytes of {@code file}, readable and writable, shared. The
     * descriptor may be closed afterwards: the mapping keeps the file.
     *
     * @throws ErrnoException naming the descriptor, e.g. when the file is not mappable
     * @throws IllegalArgumentException if {@code size} is not positive
     */
    public static SharedMemory map(Descriptor file, long size) throws IOException {
        Objects.requireNonNull(file, "file");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, is " + size);
        }
        long[] address = new long[1];
        file.withFd(fd -> {
            address[0] = VhostLibc.mapShared(fd, size);
            return 0;
        });
        if (address[0] < 0) {
            throw ErrnoException.of("mmap", file.name(), (int) -address[0]);
        }
        return new SharedMemory(address[0], size, file.name());
    }

    /**
     * A new anonymous file in memory (memfd) of {@code size} bytes, zero-filled, for sharing
     * with another process by passing its descriptor.
     *
     * @param name what the file is, for messages and {@code /proc/PID/fd}
     */
    public static Descriptor createFile(String name, long size) throws IOException {
        Objects.requireNonNull(name, "name");
        int fd = ErrnoException.check(VhostLibc.memfdCreate(name), "memfd_create", name);
        int rc = VhostLibc.ftruncate(fd, size);
        if (rc < 0) {
            Libc.close(fd);
            throw ErrnoException.of("ftruncate", name, -rc);
        }
        return Descriptor.adopt(fd, name);
    }

    /** The mapped bytes, bounds-checked; invalid once this mapping is closed. */
    public MemorySegment segment() {
        return segment;
    }

    /** The size of the mapping in bytes. */
    public long size() {
        return segment.byteSize();
    }

    /** Unmaps the memory; later accesses through {@link #segment()} throw. Idempotent. */
    @Override
    public void close() {
        try {
            arena.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed before: nothing to unmap
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + segment.byteSize() + " bytes]";
    }
}
