/** The {@code vsockexec} command line. It exports nothing: its API is its command line. */
module io.vsockexec.cli {
    requires io.vsockexec.agent;
    requires io.vsockexec.base;
    requires io.vsockexec.bench;
    requires io.vsockexec.client;
    requires io.vsockexec.copy;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.transport;
    requires io.vsockexec.vm;
    // WindowChangeSignal reaches sun.misc.Signal reflectively.
    requires jdk.unsupported;
}
