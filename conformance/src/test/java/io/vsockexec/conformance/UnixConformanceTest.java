package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.nio.file.Path;

/** The conformance suite over a Unix socket. */
class UnixConformanceTest extends AgentProcessSuite {
    @Override
    Endpoint listenEndpoint(Path dir) {
        return Endpoint.parse("unix://" + dir.resolve("exec.sock"));
    }
}
