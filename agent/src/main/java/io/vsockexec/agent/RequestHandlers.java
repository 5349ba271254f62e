package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests the agent serves, each by its handler, keyed by the message type of a
 * connection's first frame, as a web server picks a connection implementation by protocol and
 * delegates to it. Registering a handler is the whole of adding a request type.
 */
final class RequestHandlers {
    /** In the order of registration. */
    private final List<RequestHandler> handlers;
    /** Indexed by the type byte. */
    private final RequestHandler[] byCode = new RequestHandler[256];

    private RequestHandlers(List<RequestHandler> handlers) {
        this.handlers = List.copyOf(handlers);
        for (RequestHandler h : this.handlers) {
            MessageType type = h.kind().type();
            if (byCode[type.code()] != null) {
                throw new IllegalArgumentException("two handlers for " + type);
            }
            byCode[type.code()] = h;
        }
    }

    /** Every request this agent serves: the four exec modes, port forwarding, the three file operations and the two copies. */
    static RequestHandlers standard() {
        return of(ExecHandler.BUFFERED, ExecHandler.STREAMED, ExecHandler.PIPED, ExecHandler.TERMINAL,
                PortForwardHandler.INSTANCE, WriteFileHandler.INSTANCE, ReadFileHandler.INSTANCE,
                ListFilesHandler.INSTANCE, CopyInHandler.INSTANCE, CopyOutHandler.INSTANCE);
    }

    /**
     * The requests of {@code handlers}, named in this order in error messages.
     *
     * @throws IllegalArgumentException if two handlers serve one message type
     */
    static RequestHandlers of(RequestHandler... handlers) {
        return new RequestHandlers(List.of(handlers));
    }

    /** The handler of the request with type byte {@code typeCode}, or null if that is no request. */
    RequestHandler forCode(int typeCode) {
        return typeCode >= 0 && typeCode < byCode.length ? byCode[typeCode] : null;
    }

    /** {@code Exec, ExecStream, ..., CopyIn or CopyOut}: the requests by name, for an error message. */
    String names() {
        List<String> names = new ArrayList<>();
        handlers.forEach(h -> names.add(h.kind().name()));
        String last = names.removeLast();
        return names.isEmpty() ? last : String.join(", ", names) + " or " + last;
    }

    /**
     * Refuses a request in its handler's way; without a handler (the first frame was no request),
     * with an {@code ExecResult}, which every host that waits for one understands.
     */
    static void refuse(RequestHandler handler, FrameWriter writer, String reason) throws IOException {
        if (handler != null) {
            handler.refuse(writer, reason);
        } else {
            new ResultReply(writer).refuse(reason);
        }
    }
}
