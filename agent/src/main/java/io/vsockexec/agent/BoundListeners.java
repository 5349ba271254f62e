package io.vsockexec.agent;

import io.vsockexec.base.Timeout;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.ListenOptions;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's endpoints, bound: the exec endpoints first, then the readiness endpoints, so that a
 * host that sees the agent ready can connect. All or nothing: a failure closes what was bound.
 *
 * @param exec the exec listeners, in configuration order
 * @param ready the readiness listeners, in configuration order
 */
record BoundListeners(List<Listener> exec, List<Listener> ready) {
    BoundListeners {
        exec = List.copyOf(exec);
        ready = List.copyOf(ready);
    }

    /**
     * @throws IOException if an endpoint cannot be bound, naming it (e.g.
     *     {@code bind unix:///run/x.sock: EADDRINUSE (Address already in use)}); nothing stays bound
     */
    static BoundListeners bind(AgentConfig config) throws IOException {
        ListenOptions options = ListenOptions.defaults().allowInsecureNonLoopbackTcp(config.allowInsecureTcp())
                .handshakeTimeout(Timeout.of(config.handshakeTimeout())).log(config.log());
        List<Listener> exec = new ArrayList<>();
        List<Listener> ready = new ArrayList<>();
        try {
            for (Endpoint e : config.listen()) {
                exec.add(Transports.listen(e, options));
            }
            for (Endpoint e : config.ready()) {
                ready.add(Transports.listen(e, options));
            }
        } catch (IOException | RuntimeException e) {
            exec.forEach(Listener::close);
            ready.forEach(Listener::close);
            throw e;
        }
        return new BoundListeners(exec, ready);
    }

    /** Closes every listener, waking the threads that wait in accept. */
    void close() {
        exec.forEach(Listener::close);
        ready.forEach(Listener::close);
    }
}
