package io.vsockexec.conformance;

/** Where the agent under test listens, handed to the suites through system properties. */
public final class Target {
    /** The system property holding the agent's exec endpoint. */
    public static final String EXEC_PROPERTY = "vsockexec.conformance.exec";
    /** The system property holding the agent's readiness endpoint. */
    public static final String READY_PROPERTY = "vsockexec.conformance.ready";

    private Target() {}
}
