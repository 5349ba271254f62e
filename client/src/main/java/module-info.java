/**
 * The host SDK: run commands in a VM through its agent. Its API names base's Timeout and
 * transport's Endpoint, never a native or protocol type: those two stay behind it.
 */
module io.vsockexec.client {
    requires transitive io.vsockexec.base;
    requires io.vsockexec.copy;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.protocol;
    requires transitive io.vsockexec.transport;

    exports io.vsockexec.client;
}
