package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** The conformance suite over TCP on the loopback interface. */
class TcpConformanceTest extends AgentProcessSuite {
    @Override
    Endpoint listenEndpoint(Path dir) throws IOException {
        return Endpoint.parse("tcp://127.0.0.1:" + freePort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
