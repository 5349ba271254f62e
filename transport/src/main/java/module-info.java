/** One connection type over AF_VSOCK, hybrid vsock, Unix sockets and TCP; one endpoint parser. */
module io.vsockexec.transport {
    requires transitive io.vsockexec.base;
    requires transitive io.vsockexec.nativeio;

    exports io.vsockexec.transport;
}
