package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.LinkingForms;
import io.vsockexec.nativeio.internal.Native;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Linking the C calls ahead of their first use. The first native call of a process links the
 * downcall shape it goes through: the JDK generates classes for it, running much interpreted
 * code in a fresh JVM, on the calling thread. A process that knows it is about to
 * make native calls on several threads (the agent as it starts: its own calls before it is ready,
 * then its pollers' and the first session's) can have that done on a thread of its own meanwhile,
 * and have the calling thread, which would only wait for the first shape, build part of what that
 * linking generates (its method-handle classes, which the JDK shares across the process) at the
 * same time.
 */
public final class NativeLinking {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private NativeLinking() {}

    /**
     * Starts linking on a daemon thread, then builds on the calling thread the method-handle
     * classes that the linking thread and the first short call would otherwise generate one after
     * the other, and returns (some milliseconds); later calls do nothing. A thread that needs a
     * shape before it is linked waits for it (class initialization), never links it twice; a
     * class that both threads need is built once, by the first to get there. On a single core this
     * only moves the work; with another core free it overlaps it.
     */
    public static void startInBackground() {
        if (STARTED.compareAndSet(false, true)) {
            Thread linker = new Thread(new Link(), "vsockexec-native-link");
            linker.setDaemon(true);
            linker.start();
            LinkingForms.prepare();
        }
    }

    /** The linking thread's work; a class rather than a lambda, whose bootstrap would cost its own milliseconds here. */
    private static final class Link implements Runnable {
        @Override
        public void run() {
            Native.linkShapes();
        }
    }
}
