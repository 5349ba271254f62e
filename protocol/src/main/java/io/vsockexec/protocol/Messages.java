package io.vsockexec.protocol;

/**
 * Converts between {@link Frame}s and typed {@link Message}s, through the payload classes
 * ({@link ExecPayloads} and its kin). The agent and the client both use this class, so both sides agree on every
 * payload.
 */
public final class Messages {

    private Messages() {
    }

    /**
     * The message a frame carries.
     *
     * @throws CorruptFrameException if the payload is not valid for the frame's type (JSON that does
     *     not decode, a Signal, Resize or Exit payload of the wrong length, a non-empty Ready)
     */
    public static Message decode(Frame frame) throws CorruptFrameException {
        byte[] payload = frame.payload();
        return switch (frame.type()) {
            case EXEC -> new Message.Exec(ExecPayloads.decodeExecRequest(payload));
            case EXEC_STREAM -> new Message.ExecStream(ExecPayloads.decodeExecRequest(payload));
            case EXEC_PIPE -> new Message.ExecPipe(ExecPayloads.decodeExecRequest(payload));
            case EXEC_TTY -> new Message.ExecTty(ExecPayloads.decodeExecTtyRequest(payload));
            case EXEC_RESULT -> new Message.ExecResult(ExecPayloads.decodeExecResponse(payload));
            case STDOUT -> new Message.Stdout(payload);
            case STDERR -> new Message.Stderr(payload);
            case STDIN -> new Message.Stdin(payload);
            case SIGNAL -> new Message.Signal(BinaryPayloads.decodeSignal(payload));
            case RESIZE -> new Message.Resize(BinaryPayloads.decodeWindowSize(payload));
            case EXIT -> new Message.Exit(BinaryPayloads.decodeExitCode(payload));
            case READY -> decodeReady(payload);
            case PORT_FORWARD -> new Message.PortForward(PortForwardPayloads.decodePortForwardRequest(payload));
            case WRITE_FILE -> new Message.WriteFile(FileRequestPayloads.decodeWriteFileRequest(payload));
            case READ_FILE -> new Message.ReadFile(FileRequestPayloads.decodeReadFileRequest(payload));
            case LIST_FILES -> new Message.ListFiles(FileRequestPayloads.decodeListFilesRequest(payload));
            case FILE_RESULT -> new Message.FileResult(FileResultPayloads.decodeFileResponse(payload));
            case COPY_IN -> new Message.CopyIn(CopyPayloads.decodeCopyInRequest(payload));
            case COPY_OUT -> new Message.CopyOut(CopyPayloads.decodeCopyOutRequest(payload));
            case COPY_DATA -> new Message.CopyData(payload);
            case COPY_RESULT -> new Message.CopyResult(CopyPayloads.decodeCopyResponse(payload));
        };
    }

    /** The frame that carries {@code message}. */
    public static Frame encode(Message message) {
        return new Frame(message.type(), payload(message));
    }

    /**
     * Switches on the type rather than on the message class: a pattern switch is bootstrapped at
     * first use, which the agent would pay at start-up. Each message class returns one
     * constant type, so the casts cannot fail, and the enum switch is still checked for
     * exhaustiveness.
     */
    private static byte[] payload(Message message) {
        return switch (message.type()) {
            case EXEC -> ExecPayloads.encode(((Message.Exec) message).request());
            case EXEC_STREAM -> ExecPayloads.encode(((Message.ExecStream) message).request());
            case EXEC_PIPE -> ExecPayloads.encode(((Message.ExecPipe) message).request());
            case EXEC_TTY -> ExecPayloads.encode(((Message.ExecTty) message).request());
            case EXEC_RESULT -> ExecPayloads.encode(((Message.ExecResult) message).response());
            case STDOUT, STDERR, STDIN, COPY_DATA -> ((Message.Data) message).data();
            case SIGNAL -> BinaryPayloads.encodeSignal(((Message.Signal) message).number());
            case RESIZE -> BinaryPayloads.encode(((Message.Resize) message).size());
            case EXIT -> BinaryPayloads.encodeExitCode(((Message.Exit) message).code());
            case READY -> Values.EMPTY_BYTES;
            case PORT_FORWARD -> PortForwardPayloads.encode(((Message.PortForward) message).request());
            case WRITE_FILE -> FileRequestPayloads.encode(((Message.WriteFile) message).request());
            case READ_FILE -> FileRequestPayloads.encode(((Message.ReadFile) message).request());
            case LIST_FILES -> FileRequestPayloads.encode(((Message.ListFiles) message).request());
            case FILE_RESULT -> FileResultPayloads.encode(((Message.FileResult) message).response());
            case COPY_IN -> CopyPayloads.encode(((Message.CopyIn) message).request());
            case COPY_OUT -> CopyPayloads.encode(((Message.CopyOut) message).request());
            case COPY_RESULT -> CopyPayloads.encode(((Message.CopyResult) message).response());
        };
    }

    private static Message decodeReady(byte[] payload) throws CorruptFrameException {
        if (payload.length != 0) {
            throw new CorruptFrameException("invalid Ready payload: must be empty, got " + payload.length + " bytes");
        }
        return new Message.Ready();
    }
}
