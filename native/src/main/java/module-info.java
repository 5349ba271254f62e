/**
 * Linux system calls through the Foreign Function and Memory API: descriptors, sockets, pipes,
 * pseudo-terminals, process spawning. Only {@code io.vsockexec.nativeio} is exported; the method
 * handles and struct layouts in {@code io.vsockexec.nativeio.internal} are reachable from nowhere
 * else. This module is the only one that needs native access
 * ({@code --enable-native-access=io.vsockexec.nativeio}).
 */
module io.vsockexec.nativeio {
    requires transitive io.vsockexec.base;

    exports io.vsockexec.nativeio;
}
