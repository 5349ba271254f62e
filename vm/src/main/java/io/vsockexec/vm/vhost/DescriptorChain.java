package io.vsockexec.vm.vhost;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One request the driver made available: the head's index (to hand back through the used ring)
 * and its buffers in order, the device-readable ones first, then the device-writable ones. Each
 * buffer is a bounds-checked slice of guest memory; reads and writes go through the helpers
 * here, which treat the buffers of one kind as one contiguous stream.
 */
public final class DescriptorChain implements Chain {
    private final int head;
    private final List<MemorySegment> readable;
    private final List<MemorySegment> writable;
    private final long readableBytes;
    private final long writableBytes;

    DescriptorChain(int head, List<MemorySegment> readable, List<MemorySegment> writable) {
        this.head = head;
        this.readable = List.copyOf(readable);
        this.writable = List.copyOf(writable);
        this.readableBytes = total(this.readable);
        this.writableBytes = total(this.writable);
    }

    private static long total(List<MemorySegment> buffers) {
        long sum = 0;
        for (MemorySegment b : buffers) {
            sum += b.byteSize();
        }
        return sum;
    }

    @Override
    public int head() {
        return head;
    }

    /** The bytes the driver gave the device to read. */
    public long readableBytes() {
        return readableBytes;
    }

    /** The room the driver gave the device to write into. */
    public long writableBytes() {
        return writableBytes;
    }

    /**
     * Copies {@code len} readable bytes from {@code offset} into {@code dst}.
     *
     * @throws IndexOutOfBoundsException if the chain holds fewer
     */
    public void read(long offset, byte[] dst, int dstOffset, int len) {
        copy(readable, offset, MemorySegment.ofArray(dst).asSlice(dstOffset, len), true);
    }

    /**
     * Copies {@code len} bytes of {@code src} into the writable buffers from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the chain has less room
     */
    public void write(long offset, byte[] src, int srcOffset, int len) {
        copy(writable, offset, MemorySegment.ofArray(src).asSlice(srcOffset, len), false);
    }

    /** Between {@code buffers} (from {@code offset} on) and {@code local}, in the direction given. */
    private static void copy(List<MemorySegment> buffers, long offset, MemorySegment local, boolean intoLocal) {
        long skip = offset;
        long done = 0;
        long want = local.byteSize();
        for (MemorySegment b : buffers) {
            if (done == want) {
                break;
            }
            if (skip >= b.byteSize()) {
                skip -= b.byteSize();
                continue;
            }
            long n = Math.min(b.byteSize() - skip, want - done);
            if (intoLocal) {
                MemorySegment.copy(b, JAVA_BYTE, skip, local, JAVA_BYTE, done, n);
            } else {
                MemorySegment.copy(local, JAVA_BYTE, done, b, JAVA_BYTE, skip, n);
            }
            done += n;
            skip = 0;
        }
        if (done < want) {
            throw new IndexOutOfBoundsException("the chain holds " + (offset + done) + " bytes, not " + (offset + want));
        }
    }

    @Override
    public String toString() {
        return "DescriptorChain[head " + head + ", " + readableBytes + " readable, " + writableBytes + " writable]";
    }
}
