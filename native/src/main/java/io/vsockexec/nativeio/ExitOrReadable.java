package io.vsockexec.nativeio;

/**
 * What {@link ChildProcess#awaitExitOrReadable} saw: whether the child has exited, and which of
 * the descriptors it was given became readable. Neither means the deadline passed first.
 */
public final class ExitOrReadable {
    /** The child has exited; the descriptors were not looked at. */
    static final ExitOrReadable EXITED = new ExitOrReadable(true, 0);

    private final boolean exited;
    /** Bit {@code i} for the {@code i}-th descriptor given. */
    private final int readable;

    private ExitOrReadable(boolean exited, int readable) {
        this.exited = exited;
        this.readable = readable;
    }

    /** @param readable bit {@code i} set if the {@code i}-th descriptor given is readable */
    static ExitOrReadable of(boolean exited, int readable) {
        return exited && readable == 0 ? EXITED : new ExitOrReadable(exited, readable);
    }

    /** True once the child has exited: {@link ChildProcess#exitStatus()} then reports how. */
    public boolean exited() {
        return exited;
    }

    /**
     * True if the descriptor at {@code index} in the call's arguments is readable (a read returns
     * at once). Not looked at, so false, when the child had exited before the call.
     *
     * @throws IndexOutOfBoundsException if {@code index} is outside 0 to {@link Descriptor#MAX_AWAITED} - 2
     */
    public boolean readable(int index) {
        if (index < 0 || index > Descriptor.MAX_AWAITED - 2) {
            throw new IndexOutOfBoundsException("descriptor index " + index);
        }
        return (readable & (1 << index)) != 0;
    }

    /** True if nothing happened before the deadline. */
    public boolean timedOut() {
        return !exited && readable == 0;
    }

    @Override
    public String toString() {
        return "ExitOrReadable[exited=" + exited + ", readable=" + Integer.toBinaryString(readable) + "]";
    }
}
