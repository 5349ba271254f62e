/** The benchmark behind {@code vsockexec bench}, and the agent's AOT training run. */
module io.vsockexec.bench {
    requires io.vsockexec.agent;
    requires io.vsockexec.base;
    requires io.vsockexec.client;
    requires io.vsockexec.nativeio;
    requires io.vsockexec.protocol;
    requires transitive io.vsockexec.transport;
    requires io.vsockexec.vm;
    // CodecCost reads the allocation count of its thread.
    requires jdk.management;

    exports io.vsockexec.bench;
}
