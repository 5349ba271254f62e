package io.vsockexec.cli;

/**
 * A JVM shutdown hook for as long as it is open: its action runs if the JVM shuts down first (on
 * SIGINT, SIGTERM, SIGHUP or {@code System.exit}), and {@link #close()} removes it when the owner
 * cleans up by itself. The action may thus run after the owner's own clean-up has begun, so it
 * must be idempotent.
 */
final class ExitHook implements AutoCloseable {
    private final Thread hook;

    private ExitHook(Thread hook) {
        this.hook = hook;
    }

    /** Registers {@code action} to run on a thread named {@code name} if the JVM shuts down before {@link #close()}. */
    static ExitHook install(String name, Runnable action) {
        Thread hook = Thread.ofPlatform().name(name).unstarted(action);
        Runtime.getRuntime().addShutdownHook(hook);
        return new ExitHook(hook);
    }

    /** Removes the hook, unless the JVM is already shutting down. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A hook cannot be removed once shutdown has begun: it runs or has run, which is
            // harmless since its action is idempotent.
        }
    }
}
