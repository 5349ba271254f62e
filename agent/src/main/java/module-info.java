/** The guest agent: serves exec, streaming exec, stdin pipes and PTY sessions inside the VM. */
module io.vsockexec.agent {
    requires transitive io.vsockexec.base;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.protocol;
    requires transitive io.vsockexec.transport;

    exports io.vsockexec.agent;
}
