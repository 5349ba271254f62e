package io.vsockexec.agent;

import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.ProgramResolver;
import io.vsockexec.nativeio.SpawnException;
import io.vsockexec.nativeio.UserInfo;
import io.vsockexec.nativeio.Users;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a request asks for into what to spawn: the argument vector, the whole environment,
 * the directory and the user. Everything that can be checked before spawning is checked here.
 */
final class Launcher implements Closeable {
    /** The shell that runs a command without {@code args}, as in the Go agent. */
    static final String SHELL = "/bin/sh";
    /** {@code TERM} for a terminal session whose request sets none. */
    static final String DEFAULT_TERM = "xterm-256color";

    private final Map<String, String> agentEnvironment;
    private final int agentUid;
    private final int agentGid;
    private final ProgramResolver programs = ProgramResolver.create();

    /**
     * @param agentEnvironment the environment every command starts from (the agent's own)
     * @param agentUid the agent's effective uid: only root may run commands as someone else
     * @param agentGid the agent's effective gid: the only group a non-root agent can give a command
     */
    Launcher(Map<String, String> agentEnvironment, int agentUid, int agentGid) {
        this.agentEnvironment = Map.copyOf(agentEnvironment);
        this.agentUid = agentUid;
        this.agentGid = agentGid;
    }

    /** Stops watching the {@code PATH} directories (see {@link ProgramResolver}). */
    @Override
    public void close() {
        programs.close();
    }

    /** A launcher for this process: its environment and effective uid. */
    static Launcher forThisProcess() {
        return new Launcher(System.getenv(), Users.effectiveUid(), Users.effectiveGid());
    }

    /**
     * What to spawn.
     *
     * @param argv the program's path and arguments, possibly behind the {@code setpriv} prefix
     * @param environment the command's whole environment
     * @param workingDirectory where it starts, or null for the agent's own directory
     * @param program what the log line names: {@code sh -c} or the program's path (never the
     *     command line, which may hold secrets)
     */
    record Plan(List<String> argv, Map<String, String> environment, Path workingDirectory, String program) {}

    /**
     * @throws RequestException for a request that is malformed (relative or invalid directory,
     *     bad variable name, malformed user, empty program name)
     * @throws StartFailure for a program, directory or user that does not exist or cannot be used
     */
    Plan plan(RequestedCommand c) throws RequestException, StartFailure {
        Path dir = workingDirectory(c.workingDir());
        UserInfo user = user(c.user());
        Map<String, String> env = environment(c, user);
        List<String> argv = new ArrayList<>();
        if (user != null && (agentUid == 0 || user.uid() != agentUid)) {
            argv.addAll(setpriv(user, c.user()));
        }
        String program;
        if (!c.vector()) {
            program = SHELL + " -c";
            argv.addAll(List.of(SHELL, "-c", c.command()));
        } else {
            program = resolve(c.command(), env.get("PATH"), dir);
            argv.add(program);
            argv.addAll(c.args());
        }
        checkNoNul(c);
        return new Plan(List.copyOf(argv), env, dir, program);
    }

    private static Path workingDirectory(String dir) throws RequestException {
        if (dir.isEmpty()) {
            return null;
        }
        Path path;
        try {
            path = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new RequestException("invalid working_dir \"" + printable(dir) + "\": " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw new RequestException("working_dir must be an absolute path: \"" + printable(dir) + "\"");
        }
        return path;
    }

    private UserInfo user(String spec) throws RequestException, StartFailure {
        return UserSwitch.resolve(spec, "run", agentUid, agentGid);
    }

    private static List<String> setpriv(UserInfo user, String spec) throws StartFailure {
        try {
            return Users.setprivPrefix(user);
        } catch (FileNotFoundException e) {
            throw new StartFailure(StartFailure.CANNOT_EXECUTE, "cannot run as user \"" + spec + "\": " + e.getMessage());
        }
    }

    /** The agent's environment, then the user's identity, then the request's variables, which win. */
    private Map<String, String> environment(RequestedCommand c, UserInfo user) throws RequestException {
        Map<String, String> env = new LinkedHashMap<>(agentEnvironment);
        if (user != null) {
            if (user.name().isPresent()) {
                env.put("USER", user.name().get());
                env.put("LOGNAME", user.name().get());
            } else {
                env.remove("USER");
                env.remove("LOGNAME");
            }
            // As docker exec: a uid without a passwd entry gets HOME=/.
            env.put("HOME", user.home().filter(h -> !h.isEmpty()).orElse("/"));
        }
        int position = 0;
        for (Map.Entry<String, String> e : c.env().entrySet()) {
            checkVariable(position++, e.getKey(), e.getValue());
            env.put(e.getKey(), e.getValue());
        }
        if (c.terminal() && !c.env().containsKey("TERM")) {
            env.put("TERM", DEFAULT_TERM);
        }
        return env;
    }

    /**
     * A malformed name is named by its position in the request's {@code env} (counting from 0): it
     * may be a whole {@code NAME=secret} pasted as a name. A bad value is named by its variable.
     */
    private static void checkVariable(int position, String name, String value) throws RequestException {
        if (name.isEmpty()) {
            throw new RequestException("env key " + position + " is empty");
        }
        if (name.indexOf('=') >= 0) {
            throw new RequestException("env key " + position + " contains '='");
        }
        if (name.indexOf('\0') >= 0) {
            throw new RequestException("env key " + position + " contains a NUL byte");
        }
        if (value.indexOf('\0') >= 0) {
            throw new RequestException("env " + printable(name) + " contains a NUL byte");
        }
    }

    /** Looks {@code command} up in PATH as execvp does; reports a miss the way Go's os/exec words it. */
    private String resolve(String command, String path, Path dir) throws RequestException, StartFailure {
        if (command.isEmpty()) {
            throw new RequestException("command must name a program when args or argv are given");
        }
        if (command.indexOf('\0') >= 0) {
            throw new RequestException("command contains a NUL byte");
        }
        try {
            return programs.resolve(command, path, dir);
        } catch (SpawnException e) {
            throw e.isNotFound()
                    ? new StartFailure(StartFailure.NOT_FOUND, "exec \"" + command + "\": executable file not found in PATH")
                    : new StartFailure(StartFailure.CANNOT_EXECUTE, "exec \"" + command + "\": permission denied");
        }
    }

    /**
     * Names the bad part by its place in the request, never by its value: a command line or an
     * argument may hold a password. {@code args[i]} counts from 0, as in the request's JSON.
     */
    private static void checkNoNul(RequestedCommand c) throws RequestException {
        if (c.command().indexOf('\0') >= 0) {
            throw new RequestException("command contains a NUL byte");
        }
        for (int i = 0; i < c.args().size(); i++) {
            if (c.args().get(i).indexOf('\0') >= 0) {
                throw new RequestException("args[" + i + "] contains a NUL byte");
            }
        }
    }

    /**
     * How a failed spawn is reported: a program given by path that is missing (127) or not
     * executable (126), a working directory that is missing or not a directory (126, as docker
     * exec reports a failed chdir), or anything else the system refused (126).
     */
    static StartFailure spawnFailure(ErrnoException e) {
        if (e instanceof SpawnException s) {
            String reason = s.isNotFound() ? "no such file or directory"
                    : s.errno() == Errno.EACCES ? "permission denied" : ErrnoException.errnoText(s.errno());
            return new StartFailure(s.shellCode(), "exec \"" + s.program() + "\": " + reason);
        }
        return new StartFailure(StartFailure.CANNOT_EXECUTE, e.getMessage());
    }

    /** Control characters shown as '?', so a hostile value cannot forge log or terminal output. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return s.length() > 200 ? b.append("...").toString() : b.toString();
    }
}
