package io.vsockexec.cli;

/**
 * SIGTERM and SIGINT for a long-running command such as {@code vsockexec agent}: run a clean stop
 * and end with status 0, where the JVM on its own would end with 143 or 130.
 *
 * <p>This uses a shutdown hook, the public API for these signals: the JVM runs it on SIGTERM,
 * SIGINT and SIGHUP (but not for a signal that was ignored when the process started, as SIGINT is
 * for a shell's background job or under {@code nohup}, which thus keeps being ignored). The hook
 * runs the stop action and then halts with status 0: a stop the process was asked for is a
 * success. (A JVM exiting through {@code System.exit} runs the hook too; the action must then be
 * idempotent, as {@code Agent.shutdown} is.) The children the agent spawns get default signal
 * dispositions whatever this process ignores: posix_spawn resets them.
 */
final class TerminationSignals {
    private TerminationSignals() {}

    /**
     * Runs {@code stop} when the JVM is asked to terminate, then ends the process with status 0.
     * Close the returned hook when the command ends by itself, so that its own status stands.
     */
    static ExitHook onTermination(Runnable stop) {
        return ExitHook.install("vsockexec stop", () -> {
            try {
                stop.run();
            } finally {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(ExitCodes.OK);
            }
        });
    }
}
