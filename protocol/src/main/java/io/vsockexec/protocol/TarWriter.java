package io.vsockexec.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a tar stream, the body of a copy: POSIX ustar headers, with a pax extended header
 * before an entry whose name or link target does not fit ustar's fields, whose size reaches
 * 8 GiB or whose owner or time does not fit their octal fields, as GNU tar and Go's
 * {@code archive/tar} write them. So any tar reads it, and the stream has no limit but the
 * file system's.
 *
 * <pre>{@code
 * TarWriter tar = new TarWriter(out);
 * tar.writeEntry(TarEntry.directory("site", 0755, mtime));
 * tar.writeEntry(TarEntry.file("site/index.html", 0644, size, mtime));
 * tar.writeContent(fileStream, size);
 * tar.finish();                          // the two zero blocks that end an archive
 * }</pre>
 *
 * <p>Memory: a 512-byte block, and a 64 KiB buffer for content unless the output is a
 * {@link DataFrameOutput}, whose frame the content is read into directly. Not thread-safe. The
 * writer does not own the stream and never closes it.
 */
public final class TarWriter {
    static final int BLOCK = 512;
    private static final int COPY_BUFFER = 64 * 1024;
    /** The largest value of an 11-digit octal field (size, mtime): 8 GiB - 1. */
    private static final long OCTAL_11 = 077777777777L;
    /** The largest value of a 7-digit octal field (uid, gid). */
    private static final long OCTAL_7 = 07777777L;

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];
    private byte[] copyBuffer;
    /** Content bytes the last entry still owes; -1 when no entry is open. */
    private long owed = -1;
    private long contentLength;
    private boolean finished;

    /** A writer of a tar stream to {@code out}. */
    public TarWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Writes the header of {@code entry} (a directory's name gets its trailing {@code /}). A
     * regular file's content must follow, {@link #writeContent}, before the next entry.
     *
     * @throws IllegalStateException if the previous file's content has not been written
     */
    public void writeEntry(TarEntry entry) throws IOException {
        checkNoContentOwed();
        String name = entry.type() == TarEntry.Type.DIRECTORY ? entry.name() + "/" : entry.name();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] link = entry.linkName().getBytes(StandardCharsets.UTF_8);
        int split = splitPoint(nameBytes);
        boolean paxName = split < 0;
        boolean paxLink = link.length > 100;
        boolean paxSize = entry.size() > OCTAL_11;
        boolean paxTime = entry.mtime() < 0 || entry.mtime() > OCTAL_11;
        boolean paxUid = entry.uid() > OCTAL_7;
        boolean paxGid = entry.gid() > OCTAL_7;
        if (paxName || paxLink || paxSize || paxTime || paxUid || paxGid) {
            writePax(name, entry, paxName, paxLink, paxSize, paxTime, paxUid, paxGid);
        }
        Arrays.fill(block, (byte) 0);
        if (paxName) {
            put(truncated(nameBytes, 100), 0);
        } else if (split == 0) {
            put(nameBytes, 0);
        } else {
            put(Arrays.copyOfRange(nameBytes, split + 1, nameBytes.length), 0);
            put(Arrays.copyOfRange(nameBytes, 0, split), 345);
        }
        octal(entry.mode(), 100, 8);
        octal(Math.min(entry.uid(), OCTAL_7), 108, 8);
        octal(Math.min(entry.gid(), OCTAL_7), 116, 8);
        octal(Math.min(entry.size(), OCTAL_11), 124, 12);
        octal(Math.max(0, Math.min(entry.mtime(), OCTAL_11)), 136, 12);
        block[156] = (byte) entry.type().flag();
        put(truncated(link, 100), 157);
        finishHeader();
        owed = entry.type() == TarEntry.Type.FILE ? entry.size() : -1;
        contentLength = entry.size();
    }

    /**
     * Writes the content of the regular file just announced: exactly its size from {@code in},
     * then the padding to a whole block.
     *
     * @throws EOFException if {@code in} ends first (the stream is then unusable: its entry is cut short)
     * @throws IllegalStateException if no file's content is owed, or {@code size} is not what was announced
     */
    public void writeContent(InputStream in, long size) throws IOException {
        if (owed < 0 || size != owed) {
            throw new IllegalStateException(owed < 0 ? "no file's content is owed"
                    : "content of " + size + " bytes for an entry of " + owed);
        }
        long remaining = size;
        while (remaining > 0) {
            // Into a frame: as much as it has room for, one read of the file per frame.
            int n = out instanceof DataFrameOutput frames ? frames.fillFrom(in, (int) Math.min(remaining, Integer.MAX_VALUE))
                    : copyOnce(in, (int) Math.min(remaining, COPY_BUFFER));
            if (n < 0) {
                throw new EOFException("content ended after " + (size - remaining) + " of its " + size + " bytes");
            }
            remaining -= n;
        }
        owed = -1;
        pad(contentLength);
    }

    /** Ends the archive with its two zero blocks. */
    public void finish() throws IOException {
        checkNoContentOwed();
        if (!finished) {
            Arrays.fill(block, (byte) 0);
            out.write(block);
            out.write(block);
            finished = true;
        }
    }

    private int copyOnce(InputStream in, int max) throws IOException {
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BUFFER];
        }
        int n = in.read(copyBuffer, 0, max);
        if (n > 0) {
            out.write(copyBuffer, 0, n);
        }
        return n;
    }

    private void checkNoContentOwed() {
        if (owed > 0) {
            throw new IllegalStateException("the previous file's " + owed + " bytes of content have not been written");
        }
        if (owed == 0) {
            owed = -1;
        }
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
    }

    /**
     * Where to split a name between ustar's prefix (155 bytes) and name (100 bytes) fields: 0 if
     * it fits the name field alone, the index of the separating {@code /} otherwise, -1 if it
     * cannot be split (a pax header then carries it).
     */
    private static int splitPoint(byte[] name) {
        if (name.length <= 100) {
            return 0;
        }
        for (int i = Math.min(name.length - 2, 155); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private void writePax(String name, TarEntry entry, boolean paxName, boolean paxLink, boolean paxSize,
            boolean paxTime, boolean paxUid, boolean paxGid) throws IOException {
        StringBuilder records = new StringBuilder();
        if (paxName) {
            record(records, "path", name);
        }
        if (paxLink) {
            record(records, "linkpath", entry.linkName());
        }
        if (paxSize) {
            record(records, "size", Long.toString(entry.size()));
        }
        if (paxTime) {
            record(records, "mtime", Long.toString(entry.mtime()));
        }
        if (paxUid) {
            record(records, "uid", Long.toString(entry.uid()));
        }
        if (paxGid) {
            record(records, "gid", Long.toString(entry.gid()));
        }
        byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
        Arrays.fill(block, (byte) 0);
        put(truncated(("PaxHeaders/" + lastPart(name)).getBytes(StandardCharsets.UTF_8), 100), 0);
        octal(0644, 100, 8);
        octal(0, 108, 8);
        octal(0, 116, 8);
        octal(data.length, 124, 12);
        octal(Math.max(0, Math.min(entry.mtime(), OCTAL_11)), 136, 12);
        block[156] = 'x';
        finishHeader();
        out.write(data);
        pad(data.length);
    }

    /** One pax record, {@code "LEN KEY=VALUE\n"}, where LEN counts the whole record, itself included. */
    private static void record(StringBuilder records, String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + String.valueOf(body).length();
        if (String.valueOf(length).length() != String.valueOf(body).length()) {
            length++;
        }
        records.append(length).append(' ').append(key).append('=').append(value).append('\n');
    }

    private static String lastPart(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** The magic, version and checksum, then the block. */
    private void finishHeader() throws IOException {
        put("ustar\0".getBytes(StandardCharsets.US_ASCII), 257);
        put("00".getBytes(StandardCharsets.US_ASCII), 263);
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xFF;
        }
        octal(sum, 148, 7);
        block[155] = ' ';
        out.write(block);
    }

    private void pad(long length) throws IOException {
        int rest = (int) (length % BLOCK);
        if (rest != 0) {
            Arrays.fill(block, (byte) 0);
            out.write(block, 0, BLOCK - rest);
        }
    }

    private void put(byte[] bytes, int offset) {
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }

    /** {@code value} in octal, zero-padded to {@code width - 1} digits and a NUL. */
    private void octal(long value, int offset, int width) {
        String digits = Long.toOctalString(value);
        int pad = width - 1 - digits.length();
        for (int i = 0; i < pad; i++) {
            block[offset + i] = '0';
        }
        for (int i = 0; i < digits.length(); i++) {
            block[offset + pad + i] = (byte) digits.charAt(i);
        }
        block[offset + width - 1] = 0;
    }

    private static byte[] truncated(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }
}
