package io.vsockexec.agent;

import io.vsockexec.protocol.ByteSource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a buffered exec keeps of one output (its stdout or its stderr): a prefix of what the
 * command wrote, in chunks whose memory is reserved from the session's account before they are
 * allocated. Chunks start small (a short output costs little) and grow to {@link #LARGEST_CHUNK};
 * every chunk but the last is full. Written into the reply as a {@link ByteSource}, each chunk
 * is let go of, and its memory given back, as soon as it has been encoded. Used by the
 * session's thread only.
 */
final class OutputChunks implements ByteSource {
    /** The first chunk's size: most outputs are small. */
    static final int FIRST_CHUNK = 4 * 1024;
    /** The largest chunk: each chunk is four times the one before, up to this. */
    static final int LARGEST_CHUNK = 64 * 1024;

    private final MemoryBudget.Account memory;
    private final List<byte[]> chunks = new ArrayList<>();
    /** Bytes kept in the last chunk. */
    private int lastFill;
    private long length;

    OutputChunks(MemoryBudget.Account memory) {
        this.memory = memory;
    }

    @Override
    public long length() {
        return length;
    }

    /** Room left in the last chunk. */
    int room() {
        return chunks.isEmpty() ? 0 : chunks.getLast().length - lastFill;
    }

    /** The size of the next chunk: four times the last, from {@link #FIRST_CHUNK} up to {@link #LARGEST_CHUNK}. */
    int nextChunkSize() {
        return chunks.isEmpty() ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, chunks.getLast().length * 4);
    }

    /** Adds an empty chunk, whose memory the caller has reserved. */
    void addChunk(byte[] chunk) {
        chunks.add(chunk);
        lastFill = 0;
    }

    /** The last chunk, to read into at {@link #fill()}. */
    byte[] last() {
        return chunks.getLast();
    }

    /** Where in the last chunk the next byte goes. */
    int fill() {
        return lastFill;
    }

    /** {@code n} bytes were put into the last chunk at {@link #fill()}. */
    void kept(int n) {
        lastFill += n;
        length += n;
    }

    /** Drops the bytes after the first {@code newLength}, giving back the chunks that no longer hold any. */
    void truncate(long newLength) {
        long drop = length - newLength;
        while (drop > 0) {
            if (drop >= lastFill) {
                byte[] last = chunks.removeLast();
                drop -= lastFill;
                length -= lastFill;
                memory.release(last.length);
                lastFill = chunks.isEmpty() ? 0 : chunks.getLast().length;
            } else {
                lastFill -= (int) drop;
                length -= drop;
                drop = 0;
            }
        }
    }

    /** Writes the kept bytes, giving back each chunk's memory once it is written: they can be written once. */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            out.write(chunk, 0, i == chunks.size() - 1 ? lastFill : chunk.length);
            chunks.set(i, null);
            memory.release(chunk.length);
        }
        chunks.clear();
        lastFill = 0;
    }

    @Override
    public String toString() {
        return "OutputChunks[" + length + " bytes in " + chunks.size() + " chunks]";
    }
}
