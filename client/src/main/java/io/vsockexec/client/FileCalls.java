package io.vsockexec.client;

import io.vsockexec.base.Timeout;
import io.vsockexec.protocol.ArrayInput;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.FileInfo;
import io.vsockexec.protocol.FileRequest;
import io.vsockexec.protocol.FileRequestPayloads;
import io.vsockexec.protocol.FileResponse;
import io.vsockexec.protocol.FileResultPayloads;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.GoFileMode;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The file operations of {@link VsockExecClient}, one call each: the request, the one
 * {@code FileResult} that answers it, and what can go wrong. Content goes out and comes in as a
 * stream, base64 and all, so a 16 MiB file is never held whole on this side either (unless the
 * caller asks for a byte array).
 *
 * <p>An answer that is not a {@code FileResult} means the agent does not know the request: no
 * answer at all (the Go agent's way with a type it does not know) or an {@code ExecResult} error
 * (a vsockexec agent's way) is an {@link UnsupportedRequestException}.
 */
final class FileCalls {
    private FileCalls() {}

    /** What the calls share: where, with which options. */
    record Target(Endpoint endpoint, ClientOptions options) {}

    /** Writes {@code length} bytes of {@code content} to {@code path} with POSIX {@code permissions}. */
    static void write(Target target, String path, InputStream content, long length, int permissions)
            throws IOException {
        checkPath(path);
        Objects.requireNonNull(content, "content");
        if (length < 0 || length > FrameDescriptor.MAX_FILE_CONTENT) {
            throw new IllegalArgumentException("a file written in one call holds 0 to "
                    + FrameDescriptor.MAX_FILE_CONTENT + " bytes, got " + length);
        }
        if (permissions < 0 || permissions > 07777) {
            throw new IllegalArgumentException("permissions must be 0 to 07777, got 0" + Integer.toOctalString(permissions));
        }
        long mode = GoFileMode.fromPosixPermissions(permissions);
        String subject = "WriteFile " + path;
        try (ExecCall call = ExecCall.open(target.endpoint(), target.options(), timeout(target), "WriteFile", subject,
                writer -> writer.write(MessageType.WRITE_FILE, FileRequestPayloads.writeFileRequest(path, length, mode),
                        new Content(content, length, subject)))) {
            reply(call, "WriteFile", path, (c, h) -> FileResultPayloads.decodeFileResponse(c.payload(h)));
        }
    }

    /** Reads {@code path} into {@code out}; returns the number of bytes. */
    static long read(Target target, String path, OutputStream out) throws IOException {
        checkPath(path);
        Objects.requireNonNull(out, "out");
        String subject = "ReadFile " + path;
        Sink sink = new Sink(out, subject);
        try (ExecCall call = ExecCall.open(target.endpoint(), target.options(), timeout(target), "ReadFile", subject,
                writer -> writer.write(Messages.encode(new Message.ReadFile(new FileRequest(path)))))) {
            reply(call, "ReadFile", path, (c, h) -> FileResultPayloads.decodeFileResult(c.payloadStream(h), sink));
        }
        return sink.count;
    }

    /** The entries of the directory {@code path}. */
    static List<RemoteFile> list(Target target, String path) throws IOException {
        checkPath(path);
        String subject = "ListFiles " + path;
        FileResponse r;
        try (ExecCall call = ExecCall.open(target.endpoint(), target.options(), timeout(target), "ListFiles", subject,
                writer -> writer.write(Messages.encode(new Message.ListFiles(new FileRequest(path)))))) {
            r = reply(call, "ListFiles", path, (c, h) -> FileResultPayloads.decodeFileResponse(c.payload(h)));
        }
        List<RemoteFile> files = new ArrayList<>(r.files().size());
        for (FileInfo f : r.files()) {
            files.add(new RemoteFile(f.name(), f.size(), GoFileMode.toPosix(f.mode()), f.isDir()));
        }
        return List.copyOf(files);
    }

    static Timeout timeout(Target target) {
        return target.options().callTimeout();
    }

    /** A path the agent can use: absolute, without NUL. */
    static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path in the VM must be absolute: \"" + path + "\"");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must not contain a NUL character: \"" + path.replace("\0", "\\0") + "\"");
        }
    }

    /** Reads a FileResult's payload. */
    @FunctionalInterface
    private interface Decode {
        FileResponse decode(ExecCall call, FrameHeader header) throws IOException;
    }

    /** The agent's FileResult, its error thrown; an answer of any other kind as {@link FileCalls} says. */
    private static FileResponse reply(ExecCall call, String request, String path, Decode decode) throws IOException {
        FrameHeader header = answer(call, request);
        if (header.type() != MessageType.FILE_RESULT) {
            throw call.unexpected(header.type());
        }
        FileResponse response;
        try {
            response = decode.decode(call, header);
        } catch (CorruptFrameException e) {
            throw call.fail(e);
        } catch (IOException e) {
            throw call.fail(e);
        }
        call.finish();
        if (!response.error().isEmpty()) {
            throw new RemoteFileException(call.subject() + " on " + call.endpoint() + " failed: " + response.error(),
                    path, response.error());
        }
        return response;
    }

    /**
     * The header of the agent's answer to {@code request}; no answer, or an {@code ExecResult}
     * error, means the agent does not know the request ({@link UnsupportedRequestException}).
     */
    static FrameHeader answer(ExecCall call, String request) throws IOException {
        FrameHeader header = call.nextHeader();
        if (header == null) {
            IOException unsent = call.sendFailure();
            throw call.fail(unsent != null ? unsent
                    : unsupported(call, request, "it closed the connection without answering"));
        }
        if (header.type() == MessageType.EXEC_RESULT) {
            String error = ExecPayloads.decodeExecResponse(call.payload(header)).error();
            throw call.fail(unsupported(call, request, "it answered \"" + error + "\""));
        }
        return header;
    }

    private static UnsupportedRequestException unsupported(ExecCall call, String request, String how) {
        return new UnsupportedRequestException("agent at " + call.endpoint() + " does not support " + request + ": "
                + how, request);
    }

    /**
     * The caller's content, read as the request goes out: exactly {@code length} bytes, or a
     * failure that is the caller's, not the connection's.
     */
    private static final class Content extends ArrayInput {
        private final InputStream in;
        private final long length;
        private final String subject;
        private long read;

        Content(InputStream in, long length, String subject) {
            this.in = in;
            this.length = length;
            this.subject = subject;
        }

        @Override
        protected int readRange(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new VsockExecException("reading the content of " + subject + " failed: " + ExceptionText.of(e), e);
            }
            if (n < 0 && read < length) {
                throw new VsockExecException("the content of " + subject + " ended after " + read + " of " + length
                        + " bytes");
            }
            read += Math.max(n, 0);
            return n;
        }
    }

    /** The caller's stream for a file's content: counts, and makes its failures the caller's. */
    private static final class Sink extends ArrayOutput {
        private final OutputStream out;
        private final String subject;
        long count;

        Sink(OutputStream out, String subject) {
            this.out = out;
            this.subject = subject;
        }

        @Override
        void writeRange(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new VsockExecException("writing the content of " + subject + " failed: " + ExceptionText.of(e), e);
            }
            count += len;
        }

        @Override
        public void close() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new VsockExecException("writing the content of " + subject + " failed: " + ExceptionText.of(e), e);
            }
        }
    }
}
