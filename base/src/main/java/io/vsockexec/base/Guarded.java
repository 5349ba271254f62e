package io.vsockexec.base;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * Runs a short piece of code while holding a lock: {@code lock(); try { ... } finally { unlock(); }}
 * stated once, for a body that is one expression or a statement or two. A body that waits on a
 * condition, throws a checked exception, or lets go of the lock and acts afterwards reads better
 * written out.
 *
 * <p>A lambda that captures nothing costs nothing per call; one that captures {@code this} or a
 * local is a small object per call unless the compiler inlines it away, so a path taken for
 * every packet or frame writes the idiom out.
 */
public final class Guarded {
    private Guarded() {}

    /** Runs {@code action} holding {@code lock}; the lock is let go however the action ends. */
    public static void run(Lock lock, Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** The value of {@code value}, computed holding {@code lock}; the lock is let go however it ends. */
    public static <T> T get(Lock lock, Supplier<T> value) {
        lock.lock();
        try {
            return value.get();
        } finally {
            lock.unlock();
        }
    }
}
