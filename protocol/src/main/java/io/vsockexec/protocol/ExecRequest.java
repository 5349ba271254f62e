package io.vsockexec.protocol;

import java.util.List;
import java.util.Map;

/**
 * What to run: the payload of {@link MessageType#EXEC}, {@link MessageType#EXEC_STREAM} and
 * {@link MessageType#EXEC_PIPE}, and Go's {@code ExecRequest}. Encoded by {@link ExecPayloads}.
 *
 * <p>The record holds exactly what goes on the wire. A null {@code args}, {@code workingDir},
 * {@code env}, {@code stdin} or {@code user} becomes empty (the JSON omits empty fields); the list,
 * map are unmodifiable copies, the map sorted as Go sorts keys; unpaired surrogates in strings
 * become U+FFFD. {@link #toString} shows the environment's keys and the length of {@code stdin}
 * ({@link Bytes}), not their values, which often hold secrets.
 *
 * @param command with no {@code args}, a shell command line run by {@code /bin/sh -c}; with
 *     {@code args}, the program to run (looked up in {@code PATH}); required, may be empty. With
 *     {@code argv}, the same vector as one shell-quoted line, for a Go agent
 * @param args arguments for {@code command}, run without a shell; the Go agent ignores them
 * @param workingDir the directory to run in; empty for the agent's default
 * @param env variables added to the agent's environment
 * @param stdin input for the command in {@link MessageType#EXEC} mode (the Go agent ignores it)
 * @param user {@code uid}, {@code uid:gid} or a user name; empty for the agent's user
 * @param argv a vsockexec extension, which the Go agent ignores: the program and its arguments,
 *     run without a shell in place of {@code command} and {@code args}; empty for none (see
 *     {@code docs/PROTOCOL.md}, "Argument vectors")
 */
public record ExecRequest(String command, List<String> args, String workingDir, Map<String, String> env,
        Bytes stdin, String user, List<String> argv) {

    public ExecRequest {
        command = Values.required(command, "command");
        args = Values.strings(args, "args");
        workingDir = Values.optional(workingDir);
        env = Values.sortedMap(env, "env");
        stdin = Values.bytes(stdin);
        user = Values.optional(user);
        argv = Values.strings(argv, "argv");
    }

    /** A request without {@code argv}, as the Go reference's host sends it. */
    public ExecRequest(String command, List<String> args, String workingDir, Map<String, String> env, Bytes stdin,
            String user) {
        this(command, args, workingDir, env, stdin, user, null);
    }

    /** A shell command line with nothing else set. */
    public static ExecRequest of(String command) {
        return new ExecRequest(command, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "ExecRequest[command=" + command + ", args=" + args + ", workingDir=" + workingDir
                + ", env keys=" + env.keySet() + ", stdin=" + stdin + ", user=" + user
                + (argv.isEmpty() ? "" : ", argv=" + argv) + "]";
    }
}
