package io.vsockexec.copy;

import io.vsockexec.protocol.CopyResponse;
import io.vsockexec.protocol.TarEntry;

/**
 * What a copy has done so far: the entries and content bytes it carried, and the entries it left
 * out (sockets, named pipes, devices), the first of which the warning names. Fixed size whatever
 * the tree.
 */
public final class CopyTally {
    private long entries;
    private long bytes;
    private long skipped;
    private String firstSkipped = "";

    /** One entry carried, with {@code size} bytes of content. */
    public void carried(long size) {
        entries++;
        bytes += size;
    }

    /** One entry left out: {@code path} names it, {@code kind} says what it is. */
    public void skipped(String path, String kind) {
        if (skipped++ == 0) {
            firstSkipped = path + ": " + kind + " not copied";
        }
    }

    /** One entry left out because a copy does not carry entries of its type. */
    public void skipped(String path, TarEntry.Type type) {
        skipped(path, type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }

    /** The content bytes carried so far. */
    public long bytes() {
        return bytes;
    }

    /** The successful result. */
    public CopyResponse response() {
        return response("");
    }

    /** The result with {@code error}, the counts of what was done before it. */
    public CopyResponse response(String error) {
        String warning = skipped == 0 ? "" : skipped == 1 ? firstSkipped
                : firstSkipped + " (and " + (skipped - 1) + " more)";
        return new CopyResponse(entries, bytes, skipped, warning, error);
    }
}
