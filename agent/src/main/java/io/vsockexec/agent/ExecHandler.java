package io.vsockexec.agent;

import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.util.function.Function;

/**
 * The four exec modes, each a {@link RequestHandler} for its request type. A mode is chosen once,
 * by the request, and decides everything that differs between the modes when it builds the
 * session: the command's stdio, how the session ends on the wire, whether the host's input
 * frames are taken. The session itself ({@link ExecSession}) has no branch on the mode.
 */
final class ExecHandler implements RequestHandler {
    /** {@code Exec}: output buffered into one {@code ExecResult}; the host sends nothing more. */
    static final ExecHandler BUFFERED = new ExecHandler(new Kind(MessageType.EXEC, "Exec", "exec"),
            RequestedCommand::decodeExec, ResultReply::new, ExecHandler::buffered);
    /** {@code ExecStream}: output relayed as it comes, then {@code ExecResult} with the exit code. */
    static final ExecHandler STREAMED = new ExecHandler(new Kind(MessageType.EXEC_STREAM, "ExecStream", "exec-stream"),
            RequestedCommand::decodeExec, ResultReply::new, ExecHandler::streamed);
    /** {@code ExecPipe}: stdin, stdout and stderr relayed both ways, signals taken, then {@code Exit}. */
    static final ExecHandler PIPED = new ExecHandler(new Kind(MessageType.EXEC_PIPE, "ExecPipe", "exec-pipe"),
            RequestedCommand::decodeExec, ExitReply::new, ExecHandler::piped);
    /** {@code ExecTTY}: a terminal relayed both ways, signals and resizes taken, then {@code Exit}. */
    static final ExecHandler TERMINAL = new ExecHandler(new Kind(MessageType.EXEC_TTY, "ExecTTY", "exec-tty"),
            RequestedCommand::decodeTty, ExitReply::new, ExecHandler::terminal);

    /** Decodes a request's payload. */
    @FunctionalInterface
    interface Decoder {
        RequestedCommand decode(byte[] payload) throws CorruptFrameException;
    }

    /** Builds a mode's session. */
    @FunctionalInterface
    interface Builder {
        ExecSession build(HostConnection host, RequestedCommand command, SessionContext context);
    }

    private final Kind kind;
    private final Decoder decoder;
    private final Function<FrameWriter, ExecReply> refusals;
    private final Builder builder;

    /** @param refusals the reply that answers a refused request */
    private ExecHandler(Kind kind, Decoder decoder, Function<FrameWriter, ExecReply> refusals, Builder builder) {
        this.kind = kind;
        this.decoder = decoder;
        this.refusals = refusals;
        this.builder = builder;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public void refuse(FrameWriter writer, String reason) throws IOException {
        refusals.apply(writer).refuse(reason);
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return builder.build(host, decoder.decode(payload.bytes()), context);
    }

    private static ExecSession buffered(HostConnection host, RequestedCommand command, SessionContext context) {
        OutputBuffer buffer = new OutputBuffer(OutputBuffer.limitFor(context.config().maxFrame()),
                context.memory().account());
        PipeOutput output = new BufferedCollection(host, buffer, context.config().drainTimeout(), context.log());
        ExecStdio stdio = new PipeStdio(host.name(), command.stdin(), host.memory(), false, output, context.log());
        return new ExecSession(host, context, command, stdio, new BufferedReply(host.writer(), buffer), false);
    }

    private static ExecSession streamed(HostConnection host, RequestedCommand command, SessionContext context) {
        ExecStdio stdio = new PipeStdio(host.name(), command.stdin(), host.memory(), false, relays(host, context), context.log());
        return new ExecSession(host, context, command, stdio, new ResultReply(host.writer()), false);
    }

    private static ExecSession piped(HostConnection host, RequestedCommand command, SessionContext context) {
        ExecStdio stdio = new PipeStdio(host.name(), command.stdin(), host.memory(), true, relays(host, context), context.log());
        return new ExecSession(host, context, command, stdio, new ExitReply(host.writer()), true);
    }

    private static ExecSession terminal(HostConnection host, RequestedCommand command, SessionContext context) {
        ExecStdio stdio = new TerminalStdio(host.name(), command.rows(), command.cols(), relays(host, context),
                context.log());
        return new ExecSession(host, context, command, stdio, new ExitReply(host.writer()), true);
    }

    private static OutputRelays relays(HostConnection host, SessionContext context) {
        return new OutputRelays(host, context.config().drainTimeout(), context.memory(), context.log());
    }
}
