package io.vsockexec.agent;

import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.ExecPayloads;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecTtyRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the host asked to run, whichever request carried it.
 *
 * @param command the program of an argument vector, or else a shell command line
 * @param args the arguments of an argument vector; empty for a shell command line
 * @param vector whether {@code command} and {@code args} are an argument vector, run without a
 *     shell: the request's {@code argv}, or a {@code command} with {@code args}
 * @param workingDir where it starts; empty for the agent's own directory
 * @param user who runs it; empty for the agent's own user
 * @param stdin input to feed first ({@code ExecRequest.stdin}); empty for a terminal
 * @param terminal whether it runs on a terminal (then {@code TERM} gets a default)
 * @param rows the terminal's height, 0 for the default
 * @param cols the terminal's width, 0 for the default
 */
record RequestedCommand(String command, List<String> args, boolean vector, String workingDir, Map<String, String> env,
        String user, byte[] stdin, boolean terminal, int rows, int cols) {

    RequestedCommand {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        Objects.requireNonNull(workingDir, "workingDir");
        // In the request's order: a bad key is reported by its position.
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(stdin, "stdin");
    }

    /**
     * The request of {@code Exec}, {@code ExecStream} and {@code ExecPipe}, from its payload: its
     * {@code argv} if it has one (the shell line in {@code command} is then for a Go agent), else
     * {@code command} and {@code args} as every host sends them.
     */
    static RequestedCommand decodeExec(byte[] payload) throws CorruptFrameException {
        ExecRequest r = ExecPayloads.decodeExecRequest(payload);
        List<String> argv = r.argv().isEmpty() ? null : r.argv();
        return new RequestedCommand(argv == null ? r.command() : argv.getFirst(), argv == null ? r.args() : rest(argv),
                argv != null || !r.args().isEmpty(), r.workingDir(), r.env(), r.user(), r.stdin().toByteArray(), false,
                0, 0);
    }

    /** The request of {@code ExecTTY}, from its payload, its {@code argv} read as {@link #decodeExec} reads it. */
    static RequestedCommand decodeTty(byte[] payload) throws CorruptFrameException {
        ExecTtyRequest r = ExecPayloads.decodeExecTtyRequest(payload);
        List<String> argv = r.argv().isEmpty() ? null : r.argv();
        return new RequestedCommand(argv == null ? r.command() : argv.getFirst(), argv == null ? r.args() : rest(argv),
                argv != null || !r.args().isEmpty(), r.workingDir(), r.env(), r.user(), new byte[0], true, r.rows(),
                r.cols());
    }

    private static List<String> rest(List<String> argv) {
        return argv.subList(1, argv.size());
    }

    /** What the log line names before the program is resolved: {@code sh -c}, or the command as given. */
    String loggedProgram() {
        return vector ? Launcher.printable(command) : Launcher.SHELL + " -c";
    }
}
