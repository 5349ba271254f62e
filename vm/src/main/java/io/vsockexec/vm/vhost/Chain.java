package io.vsockexec.vm.vhost;

/** What the driver made available at one head: a usable {@link DescriptorChain}, or a {@link Malformed} one. */
public sealed interface Chain permits DescriptorChain, Chain.Malformed {
    /** The head descriptor's index, which identifies the chain in the used ring. */
    int head();

    /** A chain that breaks the rules; the device hands it back unused. */
    record Malformed(int head, String reason) implements Chain {}
}
