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
 *
 * @param index the queue's index
 * @param kick the descriptor the driver kicks, which {@link #stop()} closes
 * @param thread the thread that reads it, started by {@link #start}
 */
record Kicker(int index, Descriptor kick, Thread thread) {
    private static final Log LOG = Log.process();

    /** Starts the thread that hands the kicks on {@code kick} to {@code device}. */
    static Kicker start(int index, Descriptor kick, VirtioDevice device) {
        Thread thread = Thread.ofVirtual().name("vhost-kick-" + index).start(() -> handOn(index, kick, device));
        return new Kicker(index, kick, thread);
    }

    private static void handOn(int index, Descriptor kick, VirtioDevice device) {
        byte[] counter = new byte[EventFd.VALUE_BYTES];
        try {
            while (kick.read(counter, 0, counter.length, Deadline.none()) >= 0) {
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
        if (thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
