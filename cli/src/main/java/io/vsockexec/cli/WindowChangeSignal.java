package io.vsockexec.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * SIGWINCH, the terminal's "window resized" signal, which has no public Java API. Terminal
 * libraries (JLine among them) use {@code sun.misc.Signal} from the jdk.unsupported module; it is
 * reached here through method handles rather than named in the source, because every mention of
 * it draws a compiler warning that no annotation can silence, and the build is kept free of
 * warnings.
 */
final class WindowChangeSignal {
    private WindowChangeSignal() {}

    /** Undoes an installed handler. */
    interface Installed extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs {@code onChange} on the JVM's signal thread at every SIGWINCH until the returned handle
     * is closed, which puts back the previous handler.
     *
     * @throws UnsupportedOperationException if this JVM cannot handle the signal (started with
     *     {@code -Xrs}, or without jdk.unsupported)
     */
    static Installed install(Runnable onChange) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object winch = lookup.findConstructor(signalClass, MethodType.methodType(void.class, String.class))
                    .invoke("WINCH");
            // SignalHandler.handle(Signal) -> onChange.run(), the signal argument dropped.
            MethodHandle run = lookup.findVirtual(Runnable.class, "run", MethodType.methodType(void.class)).bindTo(onChange);
            Object handler = MethodHandleProxies.asInterfaceInstance(handlerClass,
                    MethodHandles.dropArguments(run, 0, signalClass));
            MethodHandle handle = lookup.findStatic(signalClass, "handle",
                    MethodType.methodType(handlerClass, signalClass, handlerClass));
            Object previous = handle.invoke(winch, handler);
            return () -> restore(handle, winch, previous);
        } catch (Throwable e) {
            throw new UnsupportedOperationException("cannot handle SIGWINCH: " + e, e);
        }
    }

    private static void restore(MethodHandle handle, Object signal, Object previous) {
        try {
            handle.invoke(signal, previous);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot restore the SIGWINCH handler: " + e, e);
        }
    }
}
