package io.vsockexec.nativeio;

/**
 * What {@link ChildProcess#awaitExitOrReadable} saw: whether the child has exited, and which of
 * the descriptors it was given became readable. Neither means the deadline passed first.
 */
public final class ExitOrReadable {
    /** The child has exited; the descriptors were not looked at. */
    static final ExitOrReadable EXITED = new ExitOrReadable(1);

    /** As the wait saw them: bit 0 for the child's exit, bit {@code i + 1} for the {@code i}-th descriptor given. */
    private final int ready;

    private ExitOrReadable(int ready) {
        this.ready = ready;
    }

    /**
     * @param exited whether the child has exited
     * @param readable bit {@code i} set if the {@code i}-th descriptor given is readable
     */
    static ExitOrReadable of(boolean exited, int readable) {
        return exited && readable == 0 ? EXITED : new ExitOrReadable(readable << 1 | (exited ? 1 : 0));
    }

    /** True once the child has exited: {@link ChildProcess#exitStatus()} then reports how. */
    public boolean exited() {
        return (ready & 1) != 0;
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
        return (ready & (2 << index)) != 0;
    }

    /** True if nothing happened before the deadline. */
    public boolean timedOut() {
        return ready == 0;
    }

    @Override
    public String toString() {
        return "ExitOrReadable[exited=" + exited() + ", readable=" + Integer.toBinaryString(ready >>> 1) + "]";
    }
}
