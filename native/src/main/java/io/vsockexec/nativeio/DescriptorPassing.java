package io.vsockexec.nativeio;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.VhostLibc;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bytes with descriptors attached, over a Unix stream socket ({@code SCM_RIGHTS}): how a VM
 * monitor hands its memory and notification descriptors to a device back-end.
 */
public final class DescriptorPassing {
    /** The most descriptors one message may carry here (the vhost-user limit). */
    public static final int MAX_DESCRIPTORS = 8;

    private DescriptorPassing() {}

    /** What {@link #receive} read: the number of bytes, and the descriptors that came with them, now owned by the caller. */
    public record Received(int bytes, List<Descriptor> descriptors) {
        public Received {
            descriptors = List.copyOf(descriptors);
        }

        /** Closes every received descriptor. */
        public void closeDescriptors() {
            descriptors.forEach(Descriptor::close);
        }
    }

    /**
     * Reads up to {@code len} bytes, waiting until at least one arrives, with any descriptors
     * sent along with them (received close-on-exec, adopted as non-blocking).
     *
     * @param name what the received descriptors are, for messages; each gets its index appended
     * @throws EOFException at end of stream
     * @throws ErrnoException EMSGSIZE (with every descriptor closed) when the peer sent more than
     *     {@link #MAX_DESCRIPTORS} at once
     */
    public static Received receive(Descriptor socket, byte[] b, int off, int len, String name, Deadline deadline)
            throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int[] fds = new int[MAX_DESCRIPTORS];
        int[] count = new int[2];
        int n = socket.retryUntilReady("recvmsg", true, deadline,
                fd -> (int) VhostLibc.receiveWithDescriptors(fd, b, off, len, fds, count));
        List<Descriptor> adopted = adoptAll(fds, count[0], name);
        if (count[1] != 0) {
            adopted.forEach(Descriptor::close);
            throw ErrnoException.of("recvmsg", socket.name(), Errno.EMSGSIZE);
        }
        if (n == 0 && len > 0) {
            adopted.forEach(Descriptor::close);
            throw new EOFException(socket.name() + ": end of stream");
        }
        return new Received(n, adopted);
    }

    private static List<Descriptor> adoptAll(int[] fds, int count, String name) throws IOException {
        List<Descriptor> adopted = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                adopted.add(Descriptor.adopt(fds[i], name + " #" + i));
            } catch (IOException | RuntimeException e) {
                adopted.forEach(Descriptor::close);
                for (int j = i + 1; j < count; j++) {
                    Libc.close(fds[j]);
                }
                throw e;
            }
        }
        return adopted;
    }

    /**
     * Writes all {@code len} bytes; {@code descriptors} (duplicated into the peer, still owned by
     * the caller) go with the first bytes.
     *
     * @throws IllegalArgumentException for more than {@link #MAX_DESCRIPTORS} descriptors
     */
    public static void send(Descriptor socket, byte[] b, int off, int len, List<Descriptor> descriptors,
            Deadline deadline) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (descriptors.size() > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("at most " + MAX_DESCRIPTORS + " descriptors per message, got "
                    + descriptors.size());
        }
        int[] fds = new int[descriptors.size()];
        int sent = withAll(descriptors, 0, fds,
                () -> socket.retryUntilReady("sendmsg", false, deadline,
                        fd -> (int) VhostLibc.sendWithDescriptors(fd, b, off, len, fds)));
        if (sent < len) {
            socket.write(b, off + sent, len - sent, deadline);
        }
    }

    /** Runs {@code last} while every descriptor from {@code i} on is held open, their numbers in {@code fds}. */
    private static int withAll(List<Descriptor> descriptors, int i, int[] fds, Body last) throws IOException {
        if (i == descriptors.size()) {
            return last.run();
        }
        return descriptors.get(i).withFd(fd -> {
            fds[i] = fd;
            return withAll(descriptors, i + 1, fds, last);
        });
    }

    @FunctionalInterface
    private interface Body {
        int run() throws IOException;
    }
}
