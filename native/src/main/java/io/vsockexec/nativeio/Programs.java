package io.vsockexec.nativeio;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Finds the program a command name stands for, as {@code execvp} and shells do. */
public final class Programs {
    /** What execvp searches when PATH is not set (glibc's confstr(_CS_PATH)). */
    public static final String DEFAULT_PATH = "/bin:/usr/bin";

    private Programs() {}

    /**
     * The path of the program {@code command} names. A command containing a slash is returned as
     * it is (posix_spawn then reports a missing or non-executable file itself). Otherwise each
     * directory of {@code pathEnv} is tried in order, and the first executable regular file wins;
     * an empty entry means the working directory, as in execvp.
     *
     * @param pathEnv the child's PATH; null for {@link #DEFAULT_PATH}
     * @param workingDirectory what relative PATH entries are relative to: the child's working
     *     directory; null for this process's
     * @throws SpawnException with ENOENT (shell code 127) if no directory has the command, or
     *     EACCES (126) if only non-executable files or directories of that name were found
     * @throws IllegalArgumentException if {@code command} is empty or contains a NUL character
     */
    public static String resolve(String command, String pathEnv, Path workingDirectory) throws SpawnException {
        if (command.isEmpty() || command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a command name: \"" + command.replace('\0', '?') + "\"");
        }
        if (command.contains("/")) {
            return command;
        }
        Path base = workingDirectory != null ? workingDirectory : Path.of("").toAbsolutePath();
        boolean sawNonExecutable = false;
        for (String entry : (pathEnv != null ? pathEnv : DEFAULT_PATH).split(":", -1)) {
            Path candidate = candidate(base, entry, command);
            if (candidate == null || !Files.exists(candidate)) {
                continue;
            }
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
            // execve fails with EACCES on a directory or a file without x; execvp keeps looking.
            sawNonExecutable = true;
        }
        throw SpawnException.of(command, sawNonExecutable ? Errno.EACCES : Errno.ENOENT);
    }

    /**
     * Checks that {@code program}, a path, is what exec would start, for a spawn that cannot report
     * a failed exec itself (a wrapper that execs the program after doing something first).
     *
     * @param workingDirectory what a relative {@code program} is relative to; null for this process's
     * @throws SpawnException with ENOENT (shell code 127) if it does not exist, EACCES (126) if it
     *     is a directory or not executable
     */
    public static void checkExecutable(String program, Path workingDirectory) throws SpawnException {
        Path path;
        try {
            path = workingDirectory != null ? workingDirectory.resolve(program) : Path.of(program);
        } catch (InvalidPathException e) {
            throw SpawnException.of(program, Errno.ENOENT);
        }
        if (!Files.exists(path)) {
            throw SpawnException.of(program, Errno.ENOENT);
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw SpawnException.of(program, Errno.EACCES);
        }
    }

    private static Path candidate(Path base, String entry, String command) {
        try {
            return (entry.isEmpty() ? base : base.resolve(entry)).resolve(command);
        } catch (InvalidPathException unusable) {
            return null;
        }
    }
}
