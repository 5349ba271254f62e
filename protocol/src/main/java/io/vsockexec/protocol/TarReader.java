package io.vsockexec.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a tar stream, the body of a copy, an entry at a time: what {@link TarWriter} writes, and
 * what GNU tar, bsdtar and Go's {@code archive/tar} write (ustar with its name prefix, pax
 * extended headers, GNU long names and links, base-256 numbers). A pax global header is read and
 * ignored, as is a volume label.
 *
 * <pre>{@code
 * TarReader tar = new TarReader(in);
 * for (TarEntry e = tar.next(); e != null; e = tar.next()) {
 *     if (e.type() == TarEntry.Type.FILE) {
 *         tar.content().transferTo(file);    // or not: next() skips what is left
 *     }
 * }
 * }</pre>
 *
 * <p>Strict where a mistake would be silent: every header's checksum is checked, the archive
 * must end with its zero block (a stream that ends before it is an {@link EOFException}: a
 * truncated archive is not taken for a complete one), and a GNU sparse file is refused rather
 * than unpacked wrong. Bounded: an extended header or long name may hold at most 64 KiB.
 *
 * <p>Memory: a 512-byte block and the extended header being read. Not thread-safe; the reader does
 * not own the stream and never closes it.
 */
public final class TarReader {
    /** The most an extended header (pax or GNU long name) may hold. */
    static final int MAX_EXTENDED = 64 * 1024;

    private final InputStream in;
    private final byte[] block = new byte[TarWriter.BLOCK];
    private final Content content = new Content();
    private long padding;
    private boolean ended;

    /** A reader of the tar stream {@code in}. */
    public TarReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * The next entry, after skipping what is left of the previous one's content.
     *
     * @return the entry, or null at the archive's end (its first zero block)
     * @throws EOFException if the stream ends inside the archive, its end block included
     * @throws TarFormatException if a header is malformed or of a type a copy does not read
     */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        skipRest();
        Extended ext = new Extended();
        while (true) {
            readBlock("header");
            if (isZero(block)) {
                ended = true;
                return null;
            }
            checkChecksum();
            char flag = (char) block[156];
            long size = number(124, 12, "size");
            switch (flag) {
                case 'x' -> ext.pax(readExtended(size, "pax header"));
                case 'g' -> readExtended(size, "pax global header");
                case 'L' -> ext.name = cString(readExtended(size, "GNU long name"));
                case 'K' -> ext.link = cString(readExtended(size, "GNU long link"));
                case 'V' -> skipBytes(size + padFor(size));
                default -> {
                    return entry(flag, size, ext);
                }
            }
        }
    }

    /**
     * The content of the entry {@link #next()} returned last: exactly its size, then end of stream.
     * Whatever is not read is skipped by the next call of {@code next()}.
     */
    public InputStream content() {
        return content;
    }

    private TarEntry entry(char flag, long headerSize, Extended ext) throws IOException {
        String name = ext.name != null ? ext.name : headerName();
        String link = ext.link != null ? ext.link : field(157, 100);
        long size = ext.size >= 0 ? ext.size : headerSize;
        long mtime = ext.mtime != null ? ext.mtime : number(136, 12, "mtime");
        long uid = ext.uid >= 0 ? ext.uid : number(108, 8, "uid");
        long gid = ext.gid >= 0 ? ext.gid : number(116, 8, "gid");
        int mode = (int) (number(100, 8, "mode") & 07777);
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARD_LINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw new TarFormatException(name + ": GNU sparse files are not supported in a copy");
            default -> throw new TarFormatException(name + ": entry type '" + printable(flag) + "' is not supported in a copy");
        };
        // Only a regular file's content follows its header; a hard link's size field says nothing.
        long content = type == TarEntry.Type.FILE ? size : (type == TarEntry.Type.HARD_LINK ? 0 : size);
        this.content.remaining = content;
        padding = padFor(content);
        String trimmed = trimSlashes(name);
        if (trimmed.isEmpty()) {
            throw new TarFormatException("an archive entry has an empty name");
        }
        try {
            return new TarEntry(trimmed, type, mode, type == TarEntry.Type.FILE ? size : 0, mtime,
                    type == TarEntry.Type.SYMLINK || type == TarEntry.Type.HARD_LINK ? link : "", uid, gid);
        } catch (IllegalArgumentException e) {
            throw new TarFormatException(e.getMessage());
        }
    }

    /** {@code a/b/} and {@code a/b} alike; {@code ./} is {@code .}. */
    private static String trimSlashes(String name) {
        int end = name.length();
        while (end > 1 && name.charAt(end - 1) == '/') {
            end--;
        }
        return name.substring(0, end);
    }

    private String headerName() {
        String name = field(0, 100);
        boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r';
        if (ustar && block[345] != 0) {
            return field(345, 155) + "/" + name;
        }
        return name;
    }

    private void checkChecksum() throws TarFormatException {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < block.length; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xFF;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new TarFormatException("archive header of \"" + field(0, 100) + "\" has a bad checksum: stored "
                    + stored + ", computed " + unsigned + " (not a tar stream, or a damaged one)");
        }
    }

    /** A numeric field: octal digits (leading spaces and NULs ignored), or GNU base-256 when its first bit is set. */
    private long number(int offset, int length, String what) throws TarFormatException {
        if ((block[offset] & 0x80) != 0) {
            return base256(offset, length, what);
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        for (; i < end && block[i] != 0 && block[i] != ' '; i++) {
            int digit = block[i] - '0';
            if (digit < 0 || digit > 7 || value > (Long.MAX_VALUE >> 3)) {
                throw new TarFormatException("archive header of \"" + field(0, 100) + "\": field " + what
                        + " is not an octal number: \"" + field(offset, length) + "\"");
            }
            value = value * 8 + digit;
        }
        return value;
    }

    private long base256(int offset, int length, String what) throws TarFormatException {
        boolean negative = (block[offset] & 0x40) != 0;
        long value = negative ? -1 : 0;
        for (int i = 0; i < length; i++) {
            int b = block[offset + i] & 0xFF;
            if (i == 0) {
                b &= 0x7F;
                if (negative) {
                    b |= 0x80;
                }
            }
            if (!negative && i < length - 8 && b != 0) {
                throw new TarFormatException("archive header of \"" + field(0, 100) + "\": field " + what
                        + " is too large");
            }
            value = (value << 8) | b;
        }
        return value;
    }

    /** A NUL-terminated text field, as UTF-8. */
    private String field(int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private byte[] readExtended(long size, String what) throws IOException {
        if (size > MAX_EXTENDED) {
            throw new TarFormatException("a " + what + " of " + size + " bytes exceeds the limit of " + MAX_EXTENDED);
        }
        byte[] data = new byte[(int) size];
        readFully(data, data.length, what);
        skipBytes(padFor(size));
        return data;
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private void readBlock(String what) throws IOException {
        readFully(block, block.length, what);
    }

    private void readFully(byte[] b, int length, String what) throws IOException {
        int got = 0;
        while (got < length) {
            int n = in.read(b, got, length - got);
            if (n < 0) {
                throw new EOFException("the archive ended inside a " + what + " (" + got + " of " + length
                        + " bytes), before its end block");
            }
            got += n;
        }
    }

    private void skipRest() throws IOException {
        skipBytes(content.remaining + padding);
        content.remaining = 0;
        padding = 0;
    }

    private void skipBytes(long n) throws IOException {
        byte[] scratch = null;
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (scratch == null) {
                    scratch = new byte[TarWriter.BLOCK * 16];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
                if (r < 0) {
                    throw new EOFException("the archive ended inside an entry's content, before its end block");
                }
                skipped = r;
            }
            n -= skipped;
        }
    }

    private static long padFor(long size) {
        long rest = size % TarWriter.BLOCK;
        return rest == 0 ? 0 : TarWriter.BLOCK - rest;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    /** What extended headers said of the entry that follows them. */
    private static final class Extended {
        String name;
        String link;
        long size = -1;
        Long mtime;
        long uid = -1;
        long gid = -1;

        /** Reads pax records, {@code "LEN KEY=VALUE\n"}; unknown keys are ignored. */
        void pax(byte[] data) throws TarFormatException {
            int i = 0;
            while (i < data.length) {
                int space = indexOf(data, (byte) ' ', i);
                if (space < 0) {
                    throw new TarFormatException("malformed pax record at byte " + i);
                }
                int length;
                try {
                    length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new TarFormatException("malformed pax record length at byte " + i);
                }
                if (length <= space - i + 2 || i + length > data.length || data[i + length - 1] != '\n') {
                    throw new TarFormatException("malformed pax record at byte " + i);
                }
                String record = new String(data, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq < 0) {
                    throw new TarFormatException("malformed pax record \"" + record + "\"");
                }
                apply(record.substring(0, eq), record.substring(eq + 1));
                i += length;
            }
        }

        private void apply(String key, String value) throws TarFormatException {
            try {
                switch (key) {
                    case "path" -> name = value;
                    case "linkpath" -> link = value;
                    case "size" -> size = nonNegative(key, Long.parseLong(value));
                    case "mtime" -> mtime = seconds(value);
                    case "uid" -> uid = nonNegative(key, Long.parseLong(value));
                    case "gid" -> gid = nonNegative(key, Long.parseLong(value));
                    default -> {
                        // atime, ctime, uname, gname, comments, vendor keys: not needed for a copy
                    }
                }
            } catch (NumberFormatException e) {
                throw new TarFormatException("pax record " + key + " is not a number: \"" + value + "\"");
            }
        }

        /** Whole seconds of a pax time, {@code 1700000000.123456789} or {@code -12.5}: rounded down. */
        private static long seconds(String value) {
            try {
                return new java.math.BigDecimal(value).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            } catch (ArithmeticException e) {
                throw new NumberFormatException(value);
            }
        }

        private static long nonNegative(String key, long value) throws TarFormatException {
            if (value < 0) {
                throw new TarFormatException("pax record " + key + " must not be negative: " + value);
            }
            return value;
        }

        private static int indexOf(byte[] data, byte b, int from) {
            for (int i = from; i < data.length; i++) {
                if (data[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The current entry's content: exactly its size, read from the archive as the caller reads. */
    private final class Content extends ArrayInput {
        long remaining;

        @Override
        protected int readRange(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the archive ended inside a file's content (" + remaining + " bytes missing)");
            }
            remaining -= n;
            return n;
        }
    }
}
