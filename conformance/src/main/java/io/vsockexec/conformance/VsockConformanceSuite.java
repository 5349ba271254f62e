package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;

/**
 * The conformance suite against the agent whose endpoint is in the system property
 * {@value Target#EXEC_PROPERTY}: inside user-mode Linux, {@code vsock://1:5000}.
 */
public class VsockConformanceSuite extends ConformanceSuite {
    @Override
    protected Endpoint execEndpoint() {
        String endpoint = System.getProperty(Target.EXEC_PROPERTY);
        if (endpoint == null) {
            throw new IllegalStateException("set -D" + Target.EXEC_PROPERTY + "=vsock://CID:PORT");
        }
        return Endpoint.parse(endpoint);
    }
}
