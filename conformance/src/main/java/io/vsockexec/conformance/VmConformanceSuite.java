package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;

/**
 * The conformance suite, its wire half included, run from the host against the agent inside a
 * guest kernel, through the VM's hybrid socket and its virtio-vsock device
 * ({@code hybrid://DIR/vm.sock:5000}, readiness {@code :5002}; system properties
 * {@value AgentUnderTest#EXEC_PROPERTY} and {@value AgentUnderTest#READY_PROPERTY}). The guest's processes and
 * files are looked at through the agent itself.
 */
public class VmConformanceSuite extends ConformanceSuite {
    private AgentMachine guest;

    @Override
    protected Endpoint execEndpoint() {
        return Endpoint.parse(AgentUnderTest.required(AgentUnderTest.EXEC_PROPERTY, "hybrid:///DIR/vm.sock:5000"));
    }

    @Override
    protected Endpoint readyEndpoint() {
        return Endpoint.parse(AgentUnderTest.required(AgentUnderTest.READY_PROPERTY, "hybrid:///DIR/vm.sock:5002"));
    }

    @Override
    protected AgentMachine machine() {
        if (guest == null) {
            guest = AgentMachine.through(execEndpoint());
        }
        return guest;
    }
}
