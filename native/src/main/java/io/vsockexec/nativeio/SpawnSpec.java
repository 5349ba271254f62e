package io.vsockexec.nativeio;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link ChildProcess#spawn} needs to start a program. Nothing is inherited or merged
 * here: the environment is the child's whole environment, and {@code argv[0]} is already the
 * path of the program (resolve a bare command name with {@link Programs#resolve}).
 *
 * @param argv the program's path, then its arguments; the path is also the child's {@code argv[0]}
 * @param environment the child's entire environment, in order
 * @param workingDirectory an absolute directory to start in, or null for this process's own
 * @param stdin what the child reads on descriptor 0
 * @param stdout what the child writes on descriptor 1
 * @param stderr what the child writes on descriptor 2
 * @param group whether the child leads a new session (needed for a terminal) or a new process group
 * @param cgroup the cgroup v2 the child runs in, or null for this process's own (see {@link SpawnCgroup})
 */
public record SpawnSpec(List<String> argv, Map<String, String> environment, Path workingDirectory,
        Stdio stdin, Stdio stdout, Stdio stderr, Group group, SpawnCgroup cgroup) {

    /** The child's place in the process tree; in both cases its process group id is its pid. */
    public enum Group {
        /** {@code setsid}: a new session and process group, with no controlling terminal unless given one. */
        NEW_SESSION,
        /** {@code setpgid(0, 0)}: a new process group in this process's session. */
        NEW_PROCESS_GROUP
    }

    /**
     * Validates and copies the arguments.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public SpawnSpec {
        argv = List.copyOf(argv);
        environment = copyEnvironment(environment);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(group, "group");
        checkArgv(argv);
        if (workingDirectory != null && !workingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("working directory must be absolute: " + workingDirectory);
        }
        checkDirection("stdin", stdin, Pipe.Direction.TO_CHILD);
        checkDirection("stdout", stdout, Pipe.Direction.FROM_CHILD);
        checkDirection("stderr", stderr, Pipe.Direction.FROM_CHILD);
        checkTerminal(stdin, stdout, stderr, group);
    }

    /** A builder for {@code argv}: /dev/null on every descriptor, an empty environment, this process's directory. */
    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    /** A builder for {@code argv}; see {@link #builder(String...)}. */
    public static Builder builder(List<String> argv) {
        return new Builder(List.copyOf(argv));
    }

    /** The program's path, {@code argv[0]}. */
    public String program() {
        return argv.getFirst();
    }

    private static void checkArgv(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        if (!argv.getFirst().contains("/")) {
            throw new IllegalArgumentException(
                    "argv[0] must be a path (resolve a command name with Programs.resolve): " + argv.getFirst());
        }
        // Positions, never values: an argument may be a secret.
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv[" + i + "] contains a NUL byte");
            }
        }
    }

    private static Map<String, String> copyEnvironment(Map<String, String> environment) {
        // A malformed name is named by its position (it may hold a value pasted by mistake), a
        // bad value by its name; values never appear in a message.
        Map<String, String> copy = new LinkedHashMap<>();
        int position = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment key " + position + " is not a valid name");
            }
            String value = Objects.requireNonNull(e.getValue(), () -> "value of environment variable " + name);
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + name + " contains a NUL byte");
            }
            copy.put(name, value);
            position++;
        }
        return Collections.unmodifiableMap(copy);
    }

    private static void checkDirection(String which, Stdio stdio, Pipe.Direction expected) {
        if (stdio instanceof Stdio.PipeEnd(Pipe pipe) && pipe.direction() != expected) {
            throw new IllegalArgumentException(which + " needs a pipe " + expected + ", got " + pipe);
        }
    }

    private static void checkTerminal(Stdio stdin, Stdio stdout, Stdio stderr, Group group) {
        Pty pty = null;
        for (Stdio stdio : List.of(stdin, stdout, stderr)) {
            if (stdio instanceof Stdio.Terminal(Pty p)) {
                if (pty != null && pty != p) {
                    throw new IllegalArgumentException("a child can use only one terminal: " + pty + " and " + p);
                }
                pty = p;
            }
        }
        if (pty != null && group != Group.NEW_SESSION) {
            throw new IllegalArgumentException(
                    "a terminal needs a new session to become the controlling terminal, not " + group);
        }
    }

    /** Builds a {@link SpawnSpec}. */
    public static final class Builder {
        private final List<String> argv;
        private Map<String, String> environment = Map.of();
        private Path workingDirectory;
        private Stdio stdin = Stdio.nullDevice();
        private Stdio stdout = Stdio.nullDevice();
        private Stdio stderr = Stdio.nullDevice();
        private Group group;
        private SpawnCgroup cgroup;

        private Builder(List<String> argv) {
            this.argv = argv;
        }

        /** The child's entire environment (nothing is inherited); iteration order is kept. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** An absolute directory to start in; null (the default) for this process's own. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** What the child reads on descriptor 0; {@code /dev/null} by default. */
        public Builder stdin(Stdio stdin) {
            this.stdin = Objects.requireNonNull(stdin, "stdin");
            return this;
        }

        /** Where the child's descriptor 1 goes; {@code /dev/null} by default. */
        public Builder stdout(Stdio stdout) {
            this.stdout = Objects.requireNonNull(stdout, "stdout");
            return this;
        }

        /** Where the child's descriptor 2 goes; {@code /dev/null} by default. */
        public Builder stderr(Stdio stderr) {
            this.stderr = Objects.requireNonNull(stderr, "stderr");
            return this;
        }

        /** The terminal's slave on descriptors 0, 1 and 2, as {@code docker exec -t} does. */
        public Builder terminal(Pty pty) {
            Stdio slave = Stdio.terminal(pty);
            return stdin(slave).stdout(slave).stderr(slave);
        }

        /** Defaults to {@link Group#NEW_SESSION} with a terminal, {@link Group#NEW_PROCESS_GROUP} without. */
        public Builder group(Group group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** The cgroup the child runs in (see {@link SpawnCgroup}); null (the default) for this process's own. */
        public Builder cgroup(SpawnCgroup cgroup) {
            this.cgroup = cgroup;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException naming the bad value
         */
        public SpawnSpec build() {
            Group g = group;
            if (g == null) {
                boolean tty = stdin instanceof Stdio.Terminal || stdout instanceof Stdio.Terminal
                        || stderr instanceof Stdio.Terminal;
                g = tty ? Group.NEW_SESSION : Group.NEW_PROCESS_GROUP;
            }
            return new SpawnSpec(argv, environment, workingDirectory, stdin, stdout, stderr, g, cgroup);
        }
    }
}
