package io.vsockexec.cli;

import io.vsockexec.base.Log;
import java.io.PrintStream;

/**
 * The CLI's exit statuses, shared with the remote command's as ssh and docker share them: any
 * status a remote command can end with passes through, and vsockexec's own failures use the
 * statuses that shells and docker give the same meaning.
 *
 * <table>
 *   <caption>Exit statuses</caption>
 *   <tr><th>status</th><th>meaning</th></tr>
 *   <tr><td>0-255</td><td>{@code exec}: the remote command's own status</td></tr>
 *   <tr><td>1</td><td>{@code ready}: not ready in time; {@code agent}: could not start; {@code bench}: a target missed</td></tr>
 *   <tr><td>2</td><td>a wrong command line</td></tr>
 *   <tr><td>126</td><td>the remote command could not be run: not executable, a missing or relative working
 *       directory, an unknown user</td></tr>
 *   <tr><td>127</td><td>the remote program was not found</td></tr>
 *   <tr><td>128+N</td><td>signal N ended the remote command: 130 for SIGINT, 137 for SIGKILL; 141 also when
 *       this process's output reader went away (SIGPIPE, as for any member of a shell pipeline)</td></tr>
 *   <tr><td>255</td><td>vsockexec itself failed: cannot connect, protocol error, timeout, malformed endpoint</td></tr>
 * </table>
 */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /** A general failure of the command itself (e.g. the agent could not bind). */
    static final int FAILURE = 1;
    /** Bad options or arguments. */
    static final int USAGE = 2;
    /** The remote command could not be run, as a shell reports it (and docker exec). */
    static final int CANNOT_RUN = 126;
    /** The remote program was not found, as a shell reports it. */
    static final int NOT_FOUND = 127;
    /** This process's output reader went away: 128 + SIGPIPE, as a shell pipeline member ends. */
    static final int BROKEN_PIPE = 128 + 13;
    /** A failure of vsockexec itself, as ssh has it, so that every other status can be the remote command's. */
    static final int LOCAL_FAILURE = 255;

    private ExitCodes() {}

    /** {@code vsockexec: MESSAGE} on {@code err}; the stack trace too with {@code -v}. */
    static void print(PrintStream err, Throwable t) {
        err.println("vsockexec: " + text(t));
        if (Log.debugEnabled()) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    /** A failure's line and status; a bad command line with a pointer to help. */
    static int report(PrintStream err, CliException e) {
        print(err, e);
        if (e.helpOf() != null) {
            err.println("See '" + e.helpOf() + " --help'.");
            err.flush();
        }
        return e.status();
    }

    /** The text of a failure: its message, or its type when it has none (a bare {@code EOFException}). */
    static String text(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
