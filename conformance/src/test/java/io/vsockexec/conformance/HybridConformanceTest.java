package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.nio.file.Path;

/**
 * The conformance suite over an emulated Firecracker / Cloud Hypervisor hybrid vsock socket:
 * exec on port 5000 and readiness on port 5002 of the same VM socket, as in a VM.
 */
class HybridConformanceTest extends AgentProcessSuite {
    @Override
    Endpoint listenEndpoint(Path dir) {
        return Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
    }

    @Override
    Endpoint readyListenEndpoint(Path dir) {
        return Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5002");
    }
}
