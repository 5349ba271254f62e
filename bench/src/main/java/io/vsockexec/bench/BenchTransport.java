package io.vsockexec.bench;

import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Locale;

/** The transport a benchmark runs over: every agent, client and baseline of one run uses it. */
public enum BenchTransport {
    /** A Unix stream socket. */
    UNIX,
    /** Firecracker's hybrid vsock, emulated by the agent: a Unix socket and the CONNECT handshake. */
    HYBRID,
    /** TCP on loopback. */
    TCP;

    /** Guest ports on an emulated hybrid VM socket, as on a real guest. */
    static final int EXEC_PORT = 5000;
    static final int READY_PORT = 5002;

    /**
     * The transport named {@code text}: {@code unix}, {@code hybrid} or {@code tcp}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static BenchTransport parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "unix" -> UNIX;
            case "hybrid" -> HYBRID;
            case "tcp" -> TCP;
            default -> throw new IllegalArgumentException(
                    "unknown transport '" + text + "': expected unix, hybrid or tcp");
        };
    }

    /** The lower-case name, as the command line takes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Where an agent (or a baseline listener) serves and answers readiness. {@code dir} holds
     * the socket files; TCP picks two free loopback ports.
     */
    AgentEndpoints endpoints(Path dir, String name) throws IOException {
        return switch (this) {
            case UNIX -> new AgentEndpoints(Endpoint.parse("unix://" + dir.resolve(name + ".sock")),
                    Endpoint.parse("unix://" + dir.resolve(name + "-ready.sock")));
            case HYBRID -> {
                Path vm = dir.resolve(name + "-vm.sock");
                yield new AgentEndpoints(Endpoint.parse("hybrid://" + vm + ":" + EXEC_PORT),
                        Endpoint.parse("hybrid://" + vm + ":" + READY_PORT));
            }
            case TCP -> new AgentEndpoints(Endpoint.parse("tcp://127.0.0.1:" + freePort()),
                    Endpoint.parse("tcp://127.0.0.1:" + freePort()));
        };
    }

    /** A loopback port free right now; the agent binds it a moment later (loopback only, so no one races it). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /**
     * An agent's endpoints.
     *
     * @param exec where sessions are served
     * @param ready the readiness endpoint
     */
    record AgentEndpoints(Endpoint exec, Endpoint ready) {}
}
