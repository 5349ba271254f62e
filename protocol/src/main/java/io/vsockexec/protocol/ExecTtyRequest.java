package io.vsockexec.protocol;

import java.util.List;
import java.util.Map;

/**
 * What to run on a terminal: the payload of {@link MessageType#EXEC_TTY}, and Go's
 * {@code ExecTTYRequest}. Encoded by {@link ExecPayloads}.
 *
 * <p>Normalized like {@link ExecRequest}: null {@code args}, {@code workingDir}, {@code env} and
 * {@code user} become empty, collections are unmodifiable copies, the map sorted as Go sorts keys,
 * unpaired surrogates become U+FFFD. Every component compares by content, so the generated
 * {@code equals} and {@code hashCode} serve; {@link #toString} shows the environment's keys only.
 *
 * @param command as in {@link ExecRequest#command()}
 * @param args as in {@link ExecRequest#args()}
 * @param workingDir the directory to run in; empty for the agent's default
 * @param env variables added to the agent's environment
 * @param rows the terminal's initial height, 0 to 65535; 0 (or 0 {@code cols}) keeps the default
 * @param cols the terminal's initial width, 0 to 65535
 * @param user {@code uid}, {@code uid:gid} or a user name; empty for the agent's user
 * @param argv as in {@link ExecRequest#argv()}
 */
public record ExecTtyRequest(String command, List<String> args, String workingDir, Map<String, String> env, int rows,
        int cols, String user, List<String> argv) {

    /** @throws IllegalArgumentException if {@code rows} or {@code cols} is outside 0 to 65535 */
    public ExecTtyRequest {
        command = Values.required(command, "command");
        args = Values.strings(args, "args");
        workingDir = Values.optional(workingDir);
        env = Values.sortedMap(env, "env");
        Values.u16(rows, "rows");
        Values.u16(cols, "cols");
        user = Values.optional(user);
        argv = Values.strings(argv, "argv");
    }

    /** A request without {@code argv}, as the Go reference's host sends it. */
    public ExecTtyRequest(String command, List<String> args, String workingDir, Map<String, String> env, int rows,
            int cols, String user) {
        this(command, args, workingDir, env, rows, cols, user, null);
    }

    /** A shell command line on a terminal of the given size, with nothing else set. */
    public static ExecTtyRequest of(String command, int rows, int cols) {
        return new ExecTtyRequest(command, null, null, null, rows, cols, null);
    }

    /** The initial terminal size. */
    public WindowSize size() {
        return new WindowSize(rows, cols);
    }

    @Override
    public String toString() {
        return "ExecTtyRequest[command=" + command + ", args=" + args + ", workingDir=" + workingDir
                + ", env keys=" + env.keySet() + ", rows=" + rows + ", cols=" + cols + ", user=" + user
                + (argv.isEmpty() ? "" : ", argv=" + argv) + "]";
    }
}
