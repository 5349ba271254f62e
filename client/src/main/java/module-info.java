/** The host SDK: run commands in a VM through its agent. */
module io.vsockexec.client {
    requires transitive io.vsockexec.base;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.protocol;
    requires transitive io.vsockexec.transport;

    exports io.vsockexec.client;
}
