package io.vsockexec.protocol;

/**
 * Converts between {@link Frame}s and typed {@link Message}s, through the payload mapping of
 * {@link Payloads}. The agent and the client both use this class, so both sides agree on every
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
            case EXEC -> new Message.Exec(Payloads.decodeExecRequest(payload));
            case EXEC_STREAM -> new Message.ExecStream(Payloads.decodeExecRequest(payload));
            case EXEC_PIPE -> new Message.ExecPipe(Payloads.decodeExecRequest(payload));
            case EXEC_TTY -> new Message.ExecTty(Payloads.decodeExecTtyRequest(payload));
            case EXEC_RESULT -> new Message.ExecResult(Payloads.decodeExecResponse(payload));
            case STDOUT -> new Message.Stdout(payload);
            case STDERR -> new Message.Stderr(payload);
            case STDIN -> new Message.Stdin(payload);
            case SIGNAL -> new Message.Signal(Payloads.decodeSignal(payload));
            case RESIZE -> new Message.Resize(Payloads.decodeWindowSize(payload));
            case EXIT -> new Message.Exit(Payloads.decodeExitCode(payload));
            case READY -> decodeReady(payload);
            case PORT_FORWARD -> new Message.PortForward(Payloads.decodePortForwardRequest(payload));
            case WRITE_FILE -> new Message.WriteFile(Payloads.decodeWriteFileRequest(payload));
            case READ_FILE -> new Message.ReadFile(Payloads.decodeReadFileRequest(payload));
            case LIST_FILES -> new Message.ListFiles(Payloads.decodeListFilesRequest(payload));
            case FILE_RESULT -> new Message.FileResult(Payloads.decodeFileResponse(payload));
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
            case EXEC -> Payloads.encode(((Message.Exec) message).request());
            case EXEC_STREAM -> Payloads.encode(((Message.ExecStream) message).request());
            case EXEC_PIPE -> Payloads.encode(((Message.ExecPipe) message).request());
            case EXEC_TTY -> Payloads.encode(((Message.ExecTty) message).request());
            case EXEC_RESULT -> Payloads.encode(((Message.ExecResult) message).response());
            case STDOUT, STDERR, STDIN, COPY_DATA -> ((Message.Data) message).data();
            case SIGNAL -> Payloads.encodeSignal(((Message.Signal) message).number());
            case RESIZE -> Payloads.encode(((Message.Resize) message).size());
            case EXIT -> Payloads.encodeExitCode(((Message.Exit) message).code());
            case READY -> Values.EMPTY_BYTES;
            case PORT_FORWARD -> Payloads.encode(((Message.PortForward) message).request());
            case WRITE_FILE -> Payloads.encode(((Message.WriteFile) message).request());
            case READ_FILE -> Payloads.encode(((Message.ReadFile) message).request());
            case LIST_FILES -> Payloads.encode(((Message.ListFiles) message).request());
            case FILE_RESULT -> Payloads.encode(((Message.FileResult) message).response());
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
