package io.vsockexec.agent;

import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests the agent serves, each by its handler, keyed by the message type of a
 * connection's first frame, as a web server picks a connection implementation by protocol and
 * delegates to it. Registering a handler is the whole of adding a request type.
 */
final class RequestHandlers {
    private final Map<MessageType, RequestHandler> byType = new LinkedHashMap<>();

    private RequestHandlers(List<RequestHandler> handlers) {
        for (RequestHandler h : handlers) {
            if (byType.put(h.kind().type(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.kind().type());
            }
        }
    }

    /** Every request this agent serves: the four exec modes. */
    static RequestHandlers standard() {
        return of(ExecHandler.BUFFERED, ExecHandler.STREAMED, ExecHandler.PIPED, ExecHandler.TERMINAL);
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
        for (Map.Entry<MessageType, RequestHandler> e : byType.entrySet()) {
            if (e.getKey().code() == typeCode) {
                return e.getValue();
            }
        }
        return null;
    }

    /** {@code Exec, ExecStream, ExecPipe or ExecTTY}: the requests by name, for an error message. */
    String names() {
        List<String> names = new ArrayList<>();
        byType.values().forEach(h -> names.add(h.kind().name()));
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
