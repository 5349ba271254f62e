package io.vsockexec.vm.vhost;

/**
 * A virtio device as the vhost-user layer serves it: its feature bits, queues and configuration
 * space, and the events of its queues. Calls come from the session's threads: {@link #kicked}
 * from a queue's notification thread, the others from the control thread, which must not wait
 * for guest traffic (the front-end blocks on each reply).
 */
public interface VirtioDevice {
    /** The device's virtio feature bits (without vhost-user's protocol-features bit). */
    long features();

    /** How many queues the device has. */
    int queueCount();

    /** The device's configuration space, as the driver reads it. */
    byte[] config();

    /** The front-end connected and its queues exist (not necessarily ready yet). */
    void attach(Vring[] queues);

    /** The driver made buffers available on queue {@code index}, or the queue just became ready. */
    void kicked(int index);

    /** The front-end went away or reset the device: drop every connection and stop using the queues. */
    void detach();
}
