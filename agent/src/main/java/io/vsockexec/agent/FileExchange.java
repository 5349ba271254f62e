package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;

/**
 * A file request being served on one path: it ends with its one {@code FileResult}, written to
 * {@link #writer}, and nothing reads the connection after it. There is nothing to cancel: a
 * listing is short, a read is written at the pace the host reads it, and a write's reads are each
 * bounded by the request timeout, with the reply right after them.
 */
abstract class FileExchange implements Exchange {
    final FrameWriter writer;
    private String path;

    /** @param path the request's path; empty for a write until its payload has been decoded */
    FileExchange(String path, FrameWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** The request's path, as the host sent it. */
    final String path() {
        return path;
    }

    /** Records the path of a request decoded while it is served (a streamed write). */
    final void path(String decoded) {
        path = decoded;
    }

    @Override
    public final void cancel(String reason) {
        // See the class comment: each file exchange ends on its own, with its reply.
    }

    @Override
    public final Thread reader() {
        return null;
    }

    /** The log line's summary: the path, then {@code name=count} unless {@code count} is negative (not known). */
    final String summary(String name, long count) {
        return Launcher.printable(path) + (count >= 0 ? " " + name + "=" + count : "");
    }
}
