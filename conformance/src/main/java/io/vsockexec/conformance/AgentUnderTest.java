package io.vsockexec.conformance;

/** Where the agent under test listens, handed to the suites through system properties. */
final class AgentUnderTest {
    /** The system property holding the agent's exec endpoint. */
    static final String EXEC_PROPERTY = "vsockexec.conformance.exec";
    /** The system property holding the agent's readiness endpoint. */
    static final String READY_PROPERTY = "vsockexec.conformance.ready";
    /** The system property holding a VM's directory (its hybrid socket is {@code vm.sock} there). */
    static final String VM_DIR_PROPERTY = "vsockexec.conformance.vm.dir";
    /** The system property holding the CID the VM's guest was given. */
    static final String VM_CID_PROPERTY = "vsockexec.conformance.vm.cid";
    /** The system property holding a directory where the VM checks may boot guests of their own. */
    static final String VM_SCRATCH_PROPERTY = "vsockexec.conformance.vm.scratch";

    private AgentUnderTest() {}

    /** The value of system property {@code name}; fails naming it and an example if unset. */
    static String required(String name, String example) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("set -D" + name + "=" + example);
        }
        return value;
    }
}
