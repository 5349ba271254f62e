package io.vsockexec.conformance;

/** Where the agent under test listens, handed to the suites through system properties. */
final class AgentUnderTest {
    /** The system property holding the agent's exec endpoint. */
    static final String EXEC_PROPERTY = "vsockexec.conformance.exec";
    /** The system property holding the agent's readiness endpoint. */
    static final String READY_PROPERTY = "vsockexec.conformance.ready";

    private AgentUnderTest() {}
}
