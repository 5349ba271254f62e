package io.vsockexec.conformance;


/** Where the agent under test listens, handed to the suites through a system property. */
public final class Target {
    /** The system property holding the agent's exec endpoint. */
    public static final String EXEC_PROPERTY = "vsockexec.conformance.exec";

    private Target() {}
}
