package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;

/**
 * The conformance suite, its wire half included, against the agent whose endpoints are in the
 * system properties {@value AgentUnderTest#EXEC_PROPERTY} and
 * {@value AgentUnderTest#READY_PROPERTY}: inside user-mode Linux, {@code vsock://1:5000} and
 * {@code vsock://1:5002}.
 */
public class VsockConformanceSuite extends ConformanceSuite {
    @Override
    protected Endpoint execEndpoint() {
        return endpoint(AgentUnderTest.EXEC_PROPERTY, "vsock://CID:5000");
    }

    @Override
    protected Endpoint readyEndpoint() {
        return endpoint(AgentUnderTest.READY_PROPERTY, "vsock://CID:5002");
    }

    private static Endpoint endpoint(String property, String example) {
        String endpoint = System.getProperty(property);
        if (endpoint == null) {
            throw new IllegalStateException("set -D" + property + "=" + example);
        }
        return Endpoint.parse(endpoint);
    }
}
