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

    /** The system property holding the pid of the agent's process, where it runs beside the suite. */
    static final String AGENT_PID_PROPERTY = "vsockexec.conformance.agent.pid";
    /** The system property holding the path of the agent's log, where it runs beside the suite. */
    static final String AGENT_LOG_PROPERTY = "vsockexec.conformance.agent.log";
    /**
     * The system property that, set to {@code required}, makes the suites fail rather than skip
     * what only an agent running sessions in cgroups can do: user-mode Linux sets it, where the
     * agent runs as root and can mount cgroup2.
     */
    static final String CGROUPS_PROPERTY = "vsockexec.conformance.cgroups";

    private AgentUnderTest() {}

    /** True if the agent under test must run its sessions in cgroups. */
    static boolean cgroupsRequired() {
        return "required".equals(System.getProperty(CGROUPS_PROPERTY));
    }

    /** The value of system property {@code name}; fails naming it and an example if unset. */
    static String required(String name, String example) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("set -D" + name + "=" + example);
        }
        return value;
    }
}
