package io.vsockexec.client;

import io.vsockexec.base.Durations;
import io.vsockexec.base.Timeout;
import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecTtyRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to run in the VM: a shell command line or an argument vector, with optional environment,
 * working directory, user and time limit. Immutable; each {@code with} method returns a modified
 * copy, so one command can be a template for many.
 *
 * <pre>{@code
 * Command.shell("echo hi | wc -c");                       // /bin/sh -c 'echo hi | wc -c'
 * Command.argv("ls", "-l", "/")                           // ls with two arguments, no shell
 *        .withEnv("LC_ALL", "C")
 *        .withWorkingDir("/tmp")
 *        .withUser("nobody")
 *        .withTimeout(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p><b>On the wire</b> a shell command is the request's {@code command} and nothing else, as the
 * Go reference's host sends it. An argument vector is sent twice over, so that either agent runs
 * exactly it: in {@code command} as one line with each word quoted for the shell, which is what
 * the Go agent runs with {@code sh -c}, and in {@code argv}, a field the Go agent ignores and the
 * vsockexec agent runs without a shell ({@code docs/PROTOCOL.md}, "Argument vectors").
 *
 * @param kind whether {@code words} is a shell command line or an argument vector
 * @param words the shell command line (exactly one element) or the program and its arguments
 * @param env variables added to, or replacing those of, the agent's environment, in insertion order
 * @param workingDir the directory to run in; empty for the agent's own
 * @param user {@code uid}, {@code uid:gid} or a user name; empty for the agent's user
 * @param timeout the limit on the whole exec, connecting included; {@link Timeout#NONE} for none
 */
public record Command(Kind kind, List<String> words, Map<String, String> env, String workingDir, String user,
        Timeout timeout) {

    /** How {@link Command#words()} is run. */
    public enum Kind {
        /** One shell command line, run by {@code /bin/sh -c}. */
        SHELL,
        /** A program and its arguments, run without a shell. */
        ARGV
    }

    /** Words the shell would take as one word and treat literally: no quoting needed. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");
    /**
     * Words a shell reads specially in a command's first position even unquoted: its reserved
     * words (POSIX, bash and dash), and {@code NAME=value}, which is an assignment there.
     */
    private static final Pattern SPECIAL_FIRST = Pattern.compile(
            "case|coproc|do|done|elif|else|esac|fi|for|function|if|in|select|then|time|until|while|[^=]*=.*");

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the bad value: an empty command, a shell command of
     *     more than one word, a NUL character anywhere, an environment name that is empty or holds
     *     {@code =}
     */
    public Command {
        Objects.requireNonNull(kind, "kind");
        words = checkWords(kind, words);
        env = checkEnv(env);
        workingDir = checkText(workingDir == null ? "" : workingDir, "working directory");
        user = checkText(user == null ? "" : user, "user");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A shell command line, run by {@code /bin/sh -c} in the VM: pipes, redirections and variables work. */
    public static Command shell(String commandLine) {
        return new Command(Kind.SHELL, List.of(Objects.requireNonNull(commandLine, "commandLine")),
                Map.of(), "", "", Timeout.NONE);
    }

    /** A program and its arguments, run without a shell; the program is looked up in {@code PATH}. */
    public static Command argv(String program, String... args) {
        List<String> words = new ArrayList<>(args.length + 1);
        words.add(Objects.requireNonNull(program, "program"));
        words.addAll(List.of(args));
        return argv(words);
    }

    /** A program and its arguments as a list: the first element is the program. */
    public static Command argv(List<String> words) {
        return new Command(Kind.ARGV, words, Map.of(), "", "", Timeout.NONE);
    }

    /** This command with {@code name=value} added to its environment (replacing an earlier value). */
    public Command withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Command(kind, words, more, workingDir, user, timeout);
    }

    /** This command with every entry of {@code variables} added to its environment. */
    public Command withEnv(Map<String, String> variables) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.putAll(variables);
        return new Command(kind, words, more, workingDir, user, timeout);
    }

    /** This command run in {@code directory}; empty for the agent's own. */
    public Command withWorkingDir(String directory) {
        return new Command(kind, words, env, directory, user, timeout);
    }

    /** This command run as {@code user}: a user name, {@code uid} or {@code uid:gid}; empty for the agent's user. */
    public Command withUser(String user) {
        return new Command(kind, words, env, workingDir, user, timeout);
    }

    /**
     * This command with a limit on the whole exec, from the call until the final frame, connecting
     * included. When it passes the call fails with {@link ExecTimeoutException} and the agent stops
     * the command.
     *
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public Command withTimeout(Duration limit) {
        return withTimeout(Timeout.of(limit));
    }

    /** This command with {@code limit} on the whole exec; {@link Timeout#NONE} for none. */
    public Command withTimeout(Timeout limit) {
        return new Command(kind, words, env, workingDir, user, limit);
    }

    /** The request for the {@code Exec}, {@code ExecStream} and {@code ExecPipe} modes. */
    ExecRequest toRequest() {
        return new ExecRequest(wireCommand(), null, workingDir, env, null, user, wireArgv());
    }

    /** The request for the {@code ExecTTY} mode, on a terminal of {@code rows} by {@code cols}. */
    ExecTtyRequest toTtyRequest(int rows, int cols) {
        return new ExecTtyRequest(wireCommand(), null, workingDir, env, rows, cols, user, wireArgv());
    }

    /** The shell line a Go agent runs: the command line itself, or the vector quoted word by word. */
    private String wireCommand() {
        return kind == Kind.SHELL ? words.getFirst() : shellLine(words);
    }

    /** The vector for the vsockexec agent, or nothing for a shell command. */
    private List<String> wireArgv() {
        return kind == Kind.ARGV ? words : List.of();
    }

    /**
     * {@code words} as one shell command line that {@code sh -c} runs as exactly this argument
     * vector: each word quoted where needed, the first one also if the shell would read it as a
     * reserved word or an assignment.
     */
    static String shellLine(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String word : words) {
            if (b.isEmpty()) {
                b.append(SPECIAL_FIRST.matcher(word).matches() ? quoted(word) : shellQuote(word));
            } else {
                b.append(' ').append(shellQuote(word));
            }
        }
        return b.toString();
    }

    /** {@code word} as one literal shell word. */
    static String shellQuote(String word) {
        if (SHELL_SAFE.matcher(word).matches()) {
            return word;
        }
        return quoted(word);
    }

    /** {@code word} in single quotes, each single quote in it written as {@code '\''}. */
    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** How the command reads to a person: the shell line, or the words quoted where needed. */
    public String display() {
        if (kind == Kind.SHELL) {
            return "sh -c " + shellQuote(words.getFirst());
        }
        return shellLine(words);
    }

    /** Shows the environment's names, never its values, which often hold secrets. */
    @Override
    public String toString() {
        return "Command[" + display() + (env.isEmpty() ? "" : ", env=" + env.keySet())
                + (workingDir.isEmpty() ? "" : ", workingDir=" + workingDir)
                + (user.isEmpty() ? "" : ", user=" + user)
                + (timeout.isNone() ? "" : ", timeout=" + Durations.format(timeout.duration())) + "]";
    }

    private static List<String> checkWords(Kind kind, List<String> words) {
        Objects.requireNonNull(words, "words");
        if (words.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty: give a program to run");
        }
        if (kind == Kind.SHELL && words.size() != 1) {
            throw new IllegalArgumentException("a shell command is one command line, got " + words.size() + " words");
        }
        // Positions, never values: an argument may be a secret.
        List<String> copy = new ArrayList<>(words.size());
        for (String word : words) {
            String what = "command word " + copy.size();
            if (Objects.requireNonNull(word, what).indexOf('\0') >= 0) {
                throw new IllegalArgumentException(what + " contains a NUL byte");
            }
            copy.add(word);
        }
        if (copy.getFirst().isBlank()) {
            throw new IllegalArgumentException((kind == Kind.SHELL ? "shell command" : "program")
                    + " must not be empty or blank: \"" + copy.getFirst() + "\"");
        }
        return List.copyOf(copy);
    }

    private static Map<String, String> checkEnv(Map<String, String> env) {
        if (env == null || env.isEmpty()) {
            return Map.of();
        }
        // A malformed name is named by its position (it may be a NAME=secret pasted whole), a bad
        // value by its name: values stay out of messages, they often hold secrets.
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = "environment key " + copy.size();
            String name = Objects.requireNonNull(e.getKey(), key);
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(key + " is not a valid name: it must be non-empty, without '='"
                        + " or NUL bytes");
            }
            String value = Objects.requireNonNull(e.getValue(), "value of environment variable " + name);
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + name + " contains a NUL byte");
            }
            copy.put(name, value);
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Text that becomes a C string in the VM cannot hold NUL. */
    private static String checkText(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a NUL character: \""
                    + text.replace("\0", "\\0") + "\"");
        }
        return text;
    }
}
