package io.vsockexec.protocol;

/**
 * The type of a frame: the first byte of its header. The numbers are those of the Go reference
 * ({@code MsgType*} in {@code pkg/vsock/vsock.go}); the Javadoc of each says who sends it and what
 * its payload holds. See {@code docs/PROTOCOL.md} for the sequences they make up.
 */
public enum MessageType {
    /** Host to guest: run a command, buffer its output, answer with one {@link #EXEC_RESULT}. Payload: {@link ExecRequest} JSON. */
    EXEC(1),
    /** Guest to host: the outcome of {@link #EXEC} or {@link #EXEC_STREAM}. Payload: {@link ExecResponse} JSON. */
    EXEC_RESULT(2),
    /** Guest to host: output of the command's standard output, or of its terminal. Payload: the raw bytes. */
    STDOUT(3),
    /** Guest to host: output of the command's standard error, or a reason a request failed. Payload: the raw bytes. */
    STDERR(4),
    /** Host to guest: deliver a signal. Payload: 1 byte, the signal number 1 to 64. */
    SIGNAL(5),
    /** Guest to host: the {@link #PORT_FORWARD} is connected; raw bytes follow, both ways. Payload: empty. */
    READY(6),
    /** Host to guest: input for the command. Payload: the raw bytes; empty means end of input. */
    STDIN(7),
    /** Host to guest: the terminal's new size. Payload: {@link WindowSize}, 4 bytes. */
    RESIZE(8),
    /** Host to guest: run a command on a terminal. Payload: {@link ExecTtyRequest} JSON. */
    EXEC_TTY(9),
    /** Guest to host: the command ended. Payload: 4 bytes, the exit code, signed big-endian. */
    EXIT(10),
    /** Host to guest: run a command, stream its output, end with {@link #EXEC_RESULT}. Payload: {@link ExecRequest} JSON. */
    EXEC_STREAM(11),
    /** Host to guest: run a command with its standard streams relayed both ways, end with {@link #EXIT}. Payload: {@link ExecRequest} JSON. */
    EXEC_PIPE(12),
    /** Host to guest: connect to a TCP port inside the guest, answer {@link #READY}, then relay raw bytes. Payload: {@link PortForwardRequest} JSON. */
    PORT_FORWARD(13),
    /** Host to guest: write a file, answered by one {@link #FILE_RESULT}. Payload: {@link WriteFileRequest} JSON. */
    WRITE_FILE(14),
    /** Host to guest: read a regular file, answered by one {@link #FILE_RESULT}. Payload: {@link FileRequest} JSON. */
    READ_FILE(15),
    /** Host to guest: list a directory, answered by one {@link #FILE_RESULT}. Payload: {@link FileRequest} JSON. */
    LIST_FILES(16),
    /** Guest to host: the outcome of {@link #WRITE_FILE}, {@link #READ_FILE} or {@link #LIST_FILES}. Payload: {@link FileResponse} JSON. */
    FILE_RESULT(17),
    /**
     * Host to guest, a vsockexec extension: extract the tar stream that follows, in {@link #COPY_DATA}
     * frames, at a path; answered by {@link #READY} (send the data) or a {@link #COPY_RESULT} refusal,
     * and at the end by one {@link #COPY_RESULT}. Payload: {@link CopyInRequest} JSON.
     */
    COPY_IN(128),
    /**
     * Host to guest, a vsockexec extension: send a path as a tar stream in {@link #COPY_DATA} frames,
     * then one {@link #COPY_RESULT}. Payload: {@link CopyOutRequest} JSON.
     */
    COPY_OUT(129),
    /** Either way, a vsockexec extension: the next bytes of a copy's tar stream; empty means its end. Payload: the raw bytes. */
    COPY_DATA(130),
    /** Guest to host, a vsockexec extension: the outcome of {@link #COPY_IN} or {@link #COPY_OUT}. Payload: {@link CopyResponse} JSON. */
    COPY_RESULT(131);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The type number on the wire: 1 to 17 (the Go reference's), 128 to 131 (vsockexec's extensions). */
    public int code() {
        return code;
    }

    /**
     * The type with number {@code code}.
     *
     * @throws UnknownMessageTypeException if no type has that number
     */
    public static MessageType of(int code) throws UnknownMessageTypeException {
        MessageType type = lookup(code);
        if (type == null) {
            throw new UnknownMessageTypeException(code);
        }
        return type;
    }

    /** The type with number {@code code}, or null; for the reader, which must skip a payload before throwing. */
    static MessageType lookup(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
