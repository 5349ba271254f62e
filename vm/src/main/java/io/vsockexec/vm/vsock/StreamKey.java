package io.vsockexec.vm.vsock;

/**
 * What identifies a stream between the guest and the host: the host side's port and the guest's
 * port (the guest's CID and the host's are the same for every stream of a device). Ports are
 * 32-bit unsigned values held in {@code int}s.
 */
record StreamKey(int hostPort, int guestPort) {
    @Override
    public String toString() {
        return "host:" + Integer.toUnsignedString(hostPort) + "<->guest:" + Integer.toUnsignedString(guestPort);
    }
}
