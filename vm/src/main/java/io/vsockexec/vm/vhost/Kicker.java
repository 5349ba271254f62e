package io.vsockexec.vm.vhost;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.EventFd;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Waits for the driver's notifications on one queue's kick descriptor and hands each to the
 * device, on a virtual thread of its own; reading the descriptor takes every notification that
 * arrived since the last read, so a burst of kicks costs one pass over the queue.
 */
final class Kicker {
    private static final Log LOG = Log.process();

    private final int index;
    private final Descriptor kick;
    private final VirtioDevice device;
    private Thread thread;

    Kicker(int index, Descriptor kick, VirtioDevice device) {
        this.index = index;
        this.kick = kick;
        this.device = device;
    }

    int index() {
        return index;
    }

    void start() {
        thread = Thread.ofVirtual().name("vhost-kick-" + index).start(this::run);
    }

    private void run() {
        byte[] counter = new byte[EventFd.VALUE_BYTES];
        try {
            while (true) {
                if (kick.read(counter, 0, counter.length, Deadline.none()) < 0) {
                    return;
                }
                device.kicked(index);
            }
        } catch (ClosedChannelException stopped) {
            // stop() closed the descriptor: the normal end
        } catch (IOException | RuntimeException e) {
            LOG.warning("queue " + index + ": notifications stopped" + ": " + e);
        }
    }

    /** Closes the descriptor, which ends the thread, and waits for it so no kick is handled after. */
    void stop() {
        kick.close();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
