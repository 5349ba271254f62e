package io.vsockexec.client;

import io.vsockexec.copy.CopyFailure;
import io.vsockexec.copy.CopyTally;
import io.vsockexec.copy.TarExtraction;
import io.vsockexec.copy.TreeArchive;
import io.vsockexec.protocol.CopyInRequest;
import io.vsockexec.protocol.CopyOutRequest;
import io.vsockexec.protocol.CopyPayloads;
import io.vsockexec.protocol.CopyResponse;
import io.vsockexec.protocol.DataFrameInput;
import io.vsockexec.protocol.DataFrameOutput;
import io.vsockexec.protocol.FrameHeader;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.TarReader;
import io.vsockexec.protocol.TarWriter;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The streamed copies of {@link VsockExecClient} (vsockexec's CopyIn and CopyOut): a tar stream
 * in data frames of at most 256 KiB each way, written from or extracted to the local file system
 * as it goes ({@link TreeArchive}, {@link TarExtraction}, the agent's own code), so memory stays
 * a frame whatever the size. An agent that does not know the request is an
 * {@link UnsupportedRequestException}, as for the file calls ({@link FileCalls#answer}).
 */
final class CopyCalls {
    private CopyCalls() {}

    /** Writes a whole tar stream to {@code out}. */
    @FunctionalInterface
    interface TarSource {
        void writeTo(DataFrameOutput frames, OutputStream out) throws IOException;
    }

    /** Reads a whole tar stream from {@code in}. */
    @FunctionalInterface
    interface TarSink {
        void readFrom(InputStream in) throws IOException;
    }

    /**
     * The tree at {@code source}, as a tar stream.
     *
     * @throws LocalFileException if {@code source} does not exist: checked before anything is sent
     */
    static TarSource tree(Path source) throws LocalFileException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new LocalFileException("copy " + source + ": no such file or directory", null);
        }
        return (frames, out) -> TreeArchive.of(source, source.toString(), false, new TarWriter(out), new CopyTally(),
                () -> false).write();
    }

    /** The caller's tar stream, passed on as it is. */
    static TarSource stream(InputStream tar) {
        return (frames, out) -> {
            if (out == frames) {
                while (frames.fillFrom(tar, DataFrameOutput.CHUNK) >= 0) {
                    // Read straight into the frame being filled.
                }
            } else {
                tar.transferTo(out);
            }
        };
    }

    /**
     * Extracts at {@code dest} as {@code docker cp} places a copy.
     *
     * @throws LocalFileException if {@code dest} cannot take a copy (its parent is missing): checked
     *     before anything is asked of the agent
     */
    static TarSink extractAt(Path dest) throws LocalFileException {
        TarExtraction extraction;
        try {
            extraction = TarExtraction.at(dest, false, false, null, new CopyTally());
        } catch (CopyFailure e) {
            throw new LocalFileException(e.getMessage(), e);
        }
        return in -> extraction.extract(new TarReader(in));
    }

    /** Passes the tar stream on to the caller's {@code out} as it is. */
    static TarSink stream(OutputStream out) {
        return in -> in.transferTo(out);
    }

    /** Copies {@code source} into the VM at {@code dest}; see {@link VsockExecClient#copyTo}. */
    static CopyStats in(FileCalls.Target target, TarSource source, String dest, boolean into, String user,
            LongConsumer progress) throws IOException {
        FileCalls.checkPath(dest);
        String subject = "CopyIn " + dest;
        CopyInRequest request = new CopyInRequest(dest, into, user);
        try (ExecCall call = ExecCall.open(target.endpoint(), target.options(), FileCalls.timeout(target), "CopyIn", subject,
                writer -> writer.write(Messages.encode(new Message.CopyIn(request))))) {
            FrameHeader header = FileCalls.answer(call, "CopyIn");
            if (header.type() == MessageType.COPY_RESULT) {
                return result(call, header, dest);
            }
            if (header.type() != MessageType.READY) {
                throw call.unexpected(header.type());
            }
            call.payload(header);
            DataFrameOutput frames = call.dataOutput(MessageType.COPY_DATA);
            try {
                source.writeTo(frames, progress == null ? frames : counted(frames, progress));
                frames.finish();
            } catch (CopyFailure e) {
                throw call.fail(new LocalFileException(subject + " failed: " + e.getMessage(), e));
            } catch (IOException e) {
                throw call.fail(e);
            }
            FrameHeader end = call.nextHeader();
            if (end == null) {
                throw call.fail(new ConnectionLostException("connection to " + call.endpoint() + " ended before the "
                        + subject + " finished", null));
            }
            if (end.type() != MessageType.COPY_RESULT) {
                throw call.unexpected(end.type());
            }
            return result(call, end, dest);
        }
    }

    /** Copies {@code source} out of the VM into {@code sink}; see {@link VsockExecClient#copyFrom}. */
    static CopyStats out(FileCalls.Target target, String source, TarSink sink, LongConsumer progress) throws IOException {
        FileCalls.checkPath(source);
        String subject = "CopyOut " + source;
        try (ExecCall call = ExecCall.open(target.endpoint(), target.options(), FileCalls.timeout(target), "CopyOut",
                subject, writer -> writer.write(Messages.encode(new Message.CopyOut(new CopyOutRequest(source, false)))))) {
            FrameHeader header = FileCalls.answer(call, "CopyOut");
            if (header.type() != MessageType.COPY_RESULT && header.type() != MessageType.COPY_DATA) {
                throw call.unexpected(header.type());
            }
            DataFrameInput data = call.dataInput(MessageType.COPY_DATA, header);
            try {
                sink.readFrom(progress == null ? data : counted(data, progress));
                data.drain();
            } catch (IOException e) {
                if (data.interruption() == null) {
                    throw call.fail(e instanceof CopyFailure ? new LocalFileException(subject + " failed: " + e.getMessage(), e) : e);
                }
            }
            FrameHeader end = data.isComplete() ? call.nextHeader() : data.interruption();
            if (end == null || end.type() != MessageType.COPY_RESULT) {
                throw end == null ? call.fail(new ConnectionLostException("connection to " + call.endpoint()
                        + " ended before the " + subject + " finished", null)) : call.unexpected(end.type());
            }
            CopyStats stats = result(call, end, source);
            if (!data.isComplete()) {
                throw new ExecProtocolException("protocol error from " + call.endpoint() + ": the " + subject
                        + " ended without the end of its stream", null);
            }
            return stats;
        }
    }

    /** The agent's CopyResult, its error thrown. */
    private static CopyStats result(ExecCall call, FrameHeader header, String path) throws IOException {
        CopyResponse r;
        try {
            r = CopyPayloads.decodeCopyResponse(call.payload(header));
        } catch (IOException e) {
            throw call.fail(e);
        }
        call.finish();
        if (!r.error().isEmpty()) {
            throw new RemoteFileException(call.subject() + " on " + call.endpoint() + " failed: " + r.error(), path, r.error());
        }
        return new CopyStats(r.entries(), r.bytes(), r.skipped(), r.warning());
    }

    /** Counts what goes out, for a progress display. */
    private static OutputStream counted(OutputStream out, LongConsumer progress) {
        RunningTotal total = new RunningTotal(progress);
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                total.add(len);
            }
        };
    }

    /** Counts what comes in, for a progress display. */
    private static InputStream counted(InputStream in, LongConsumer progress) {
        RunningTotal total = new RunningTotal(progress);
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    total.add(n);
                }
                return n;
            }
        };
    }

    /** The bytes of a stream so far, told to a progress display each time more pass. */
    private static final class RunningTotal {
        private final LongConsumer progress;
        private long bytes;

        RunningTotal(LongConsumer progress) {
            this.progress = progress;
        }

        void add(int n) {
            bytes += n;
            progress.accept(bytes);
        }
    }
}
