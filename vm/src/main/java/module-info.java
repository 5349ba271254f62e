/**
 * {@code vsockexec vm}: a vhost-user virtio-vsock back-end whose host side is Firecracker's
 * hybrid vsock, and a launcher that boots user-mode Linux against it. Only
 * {@code io.vsockexec.vm} is exported; the protocol ({@code .vhost}) and the device
 * ({@code .vsock}) are its implementation.
 */
module io.vsockexec.vm {
    requires io.vsockexec.base;
    requires io.vsockexec.nativeio;
    requires transitive io.vsockexec.transport;

    exports io.vsockexec.vm;
}
