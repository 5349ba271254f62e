package io.vsockexec.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded frame: one type per {@link MessageType}, each holding its payload as a value: a
 * record, or for the three that carry raw bytes ({@link Stdout}, {@link Stderr}, {@link Stdin})
 * a small class of the one {@link Data} shape. {@link Messages} converts between frames and
 * messages; the agent and the client both use it.
 *
 * <p>A relay that wants no copies of the bytes writes with
 * {@link FrameWriter#write(MessageType, byte[], int, int)} and reads {@link Frame#payload()}
 * directly.
 */
public sealed interface Message {

    /** The frame type this message travels as. */
    MessageType type();

    /** Run a command, buffering its output; answered by one {@link ExecResult}. */
    record Exec(ExecRequest request) implements Message {
        public Exec {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC;
        }
    }

    /** Run a command, streaming its output as {@link Stdout} and {@link Stderr}; ends with {@link ExecResult}. */
    record ExecStream(ExecRequest request) implements Message {
        public ExecStream {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC_STREAM;
        }
    }

    /** Run a command with its standard streams relayed both ways; ends with {@link Exit}. */
    record ExecPipe(ExecRequest request) implements Message {
        public ExecPipe {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC_PIPE;
        }
    }

    /** Run a command on a terminal; ends with {@link Exit}. */
    record ExecTty(ExecTtyRequest request) implements Message {
        public ExecTty {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC_TTY;
        }
    }

    /** The outcome of {@link Exec} or {@link ExecStream}. */
    record ExecResult(ExecResponse response) implements Message {
        public ExecResult {
            Objects.requireNonNull(response, "response");
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC_RESULT;
        }
    }

    /**
     * A message whose payload is raw bytes: {@link Stdout}, {@link Stderr}, {@link Stdin} or {@link CopyData}. It
     * copies the array on the way in and out, compares by content and type, and shows only the
     * length in {@code toString}.
     */
    abstract sealed class Data implements Message permits Stdout, Stderr, Stdin, CopyData {
        private final byte[] data;

        private Data(byte[] data) {
            this.data = Values.bytes(Objects.requireNonNull(data, "data"));
        }

        /** A copy of the bytes. */
        public final byte[] data() {
            return data.clone();
        }

        /** The number of bytes. */
        public final int length() {
            return data.length;
        }

        @Override
        public final boolean equals(Object o) {
            return o instanceof Data d && d.type() == type() && Arrays.equals(data, d.data);
        }

        @Override
        public final int hashCode() {
            return 31 * type().hashCode() + Arrays.hashCode(data);
        }

        @Override
        public final String toString() {
            return getClass().getSimpleName() + "[" + Values.describe(data) + "]";
        }
    }

    /** Bytes the command wrote to standard output, or to its terminal. */
    final class Stdout extends Data {
        public Stdout(byte[] data) {
            super(data);
        }

        @Override
        public MessageType type() {
            return MessageType.STDOUT;
        }
    }

    /** Bytes the command wrote to standard error, or the reason a pipe or terminal request failed. */
    final class Stderr extends Data {
        public Stderr(byte[] data) {
            super(data);
        }

        @Override
        public MessageType type() {
            return MessageType.STDERR;
        }
    }

    /** Input for the command; empty data means end of input in pipe mode. */
    final class Stdin extends Data {
        public Stdin(byte[] data) {
            super(data);
        }

        /** The empty Stdin that closes the command's standard input in pipe mode. */
        public static Stdin endOfInput() {
            return new Stdin(Values.EMPTY_BYTES);
        }

        /** True for the empty Stdin that means end of input. */
        public boolean isEndOfInput() {
            return length() == 0;
        }

        @Override
        public MessageType type() {
            return MessageType.STDIN;
        }
    }

    /**
     * Deliver signal {@code number} to the command.
     *
     * @param number the signal number, 1 to 64
     */
    record Signal(int number) implements Message {
        /** @throws IllegalArgumentException if {@code number} is outside 1 to 64 */
        public Signal {
            BinaryPayloads.checkSignal(number);
        }

        @Override
        public MessageType type() {
            return MessageType.SIGNAL;
        }
    }

    /** The terminal changed size. */
    record Resize(WindowSize size) implements Message {
        public Resize {
            Objects.requireNonNull(size, "size");
        }

        @Override
        public MessageType type() {
            return MessageType.RESIZE;
        }
    }

    /**
     * The command ended, in pipe and terminal modes.
     *
     * @param code the exit code; -1 from the Go agent when the command was killed by a signal
     */
    record Exit(int code) implements Message {
        @Override
        public MessageType type() {
            return MessageType.EXIT;
        }
    }

    /** Connect to a TCP port inside the guest and relay raw bytes; answered by {@link Ready} or a {@link Stderr} reason. */
    record PortForward(PortForwardRequest request) implements Message {
        public PortForward {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.PORT_FORWARD;
        }
    }

    /** Write a file; answered by one {@link FileResult}. */
    record WriteFile(WriteFileRequest request) implements Message {
        public WriteFile {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.WRITE_FILE;
        }
    }

    /** Read a regular file; answered by one {@link FileResult}. */
    record ReadFile(FileRequest request) implements Message {
        public ReadFile {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.READ_FILE;
        }
    }

    /** List a directory; answered by one {@link FileResult}. */
    record ListFiles(FileRequest request) implements Message {
        public ListFiles {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.LIST_FILES;
        }
    }

    /** The outcome of {@link WriteFile}, {@link ReadFile} or {@link ListFiles}. */
    record FileResult(FileResponse response) implements Message {
        public FileResult {
            Objects.requireNonNull(response, "response");
        }

        @Override
        public MessageType type() {
            return MessageType.FILE_RESULT;
        }
    }

    /** Extract the tar stream that follows in {@link CopyData} frames; answered by {@link Ready}, then {@link CopyResult}. */
    record CopyIn(CopyInRequest request) implements Message {
        public CopyIn {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.COPY_IN;
        }
    }

    /** Send a path as a tar stream in {@link CopyData} frames, then {@link CopyResult}. */
    record CopyOut(CopyOutRequest request) implements Message {
        public CopyOut {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public MessageType type() {
            return MessageType.COPY_OUT;
        }
    }

    /** The next bytes of a copy's tar stream; empty data means the stream's end. */
    final class CopyData extends Data {
        public CopyData(byte[] data) {
            super(data);
        }

        /** The empty CopyData that ends a copy's stream. */
        public static CopyData end() {
            return new CopyData(Values.EMPTY_BYTES);
        }

        @Override
        public MessageType type() {
            return MessageType.COPY_DATA;
        }
    }

    /** The outcome of {@link CopyIn} or {@link CopyOut}. */
    record CopyResult(CopyResponse response) implements Message {
        public CopyResult {
            Objects.requireNonNull(response, "response");
        }

        @Override
        public MessageType type() {
            return MessageType.COPY_RESULT;
        }
    }

    /**
     * A {@link PortForward} is connected: from now on the connection carries raw bytes, both ways; or
     * a {@link CopyIn} is accepted: the host sends its {@link CopyData} frames now.
     */
    record Ready() implements Message {
        @Override
        public MessageType type() {
            return MessageType.READY;
        }
    }
}
