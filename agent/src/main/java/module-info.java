/**
 * The guest agent: serves exec, streaming exec, stdin pipes and PTY sessions inside the VM. Its API
 * names base's Log, transport's endpoints and listeners, and native descriptors.
 */
module io.vsockexec.agent {
    requires transitive io.vsockexec.base;
    requires transitive io.vsockexec.nativeio;
    requires io.vsockexec.copy;
    requires io.vsockexec.protocol;
    requires transitive io.vsockexec.transport;

    exports io.vsockexec.agent;
}
