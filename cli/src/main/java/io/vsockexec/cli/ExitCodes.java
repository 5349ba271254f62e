package io.vsockexec.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Exit statuses of the CLI, and the handlers that turn exceptions into one line on stderr and a
 * status. Stack traces only with {@code -v}.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A general failure of the command itself (e.g. the agent could not bind). */
    public static final int FAILURE = 1;
    /** Bad options or arguments. */
    public static final int USAGE = 2;
    /**
     * A local failure of {@code exec}: cannot connect, protocol error, timeout. Like ssh, so that
     * every other status can be the remote command's own.
     */
    public static final int LOCAL_FAILURE = 255;

    private ExitCodes() {}

    /** The one-line text of {@code t}: its message, or its type when it has none (a bare EOFException). */
    static String text(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static void print(PrintWriter err, Throwable t) {
        err.println("vsockexec: " + text(t));
        if (Main.verbose()) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    /** Exceptions thrown while a command runs. */
    static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
            if (e instanceof CommandLine.ParameterException bad) {
                // A combination of options a command rejects once it looks at them all.
                return new UsageErrorHandler().handleParseException(bad, null);
            }
            print(cl.getErr(), e);
            return e instanceof CliException c ? c.exitCode() : LOCAL_FAILURE;
        }
    }

    /** Bad options: one line, a hint, status 2. */
    static final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("vsockexec: " + text(e));
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE;
        }
    }
}
