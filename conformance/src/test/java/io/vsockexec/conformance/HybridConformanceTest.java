package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.nio.file.Path;

/** The conformance suite over an emulated Firecracker / Cloud Hypervisor hybrid vsock socket. */
class HybridConformanceTest extends AgentProcessSuite {
    @Override
    Endpoint listenEndpoint(Path dir) {
        return Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
    }
}
