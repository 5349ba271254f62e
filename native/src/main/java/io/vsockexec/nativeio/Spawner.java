package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.Libc;
import io.vsockexec.nativeio.internal.PosixSpawn;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/** Turns a {@link SpawnSpec} into a running, tracked {@link ChildProcess}; see {@link ChildProcess#spawn}. */
final class Spawner {
    private static final String DEV_NULL = "/dev/null";

    private Spawner() {}

    static ChildProcess start(SpawnSpec spec) throws IOException {
        Map<Pipe, Integer> childEnds = new IdentityHashMap<>();
        try (Arena arena = Arena.ofConfined(); PosixSpawn call = new PosixSpawn(arena)) {
            takeChildEnds(spec, childEnds);
            checkWorkingDirectory(spec.workingDirectory());
            prepare(call, spec, childEnds);
            Lock sweeping = SpawnCgroup.spawnLock(spec.cgroup());
            sweeping.lock();
            try {
                return spawn(call, spec);
            } finally {
                sweeping.unlock();
            }
        } finally {
            // The child has its copies now (or never will): the parent must not keep them, or
            // it would never see end of stream on its own ends.
            childEnds.values().forEach(Libc::close);
        }
    }

    /**
     * The spawn itself. Where libc cannot clone the child into its cgroup, the child is moved in
     * right after, with whatever it forked meanwhile; a child that cannot be moved is killed.
     */
    private static ChildProcess spawn(PosixSpawn call, SpawnSpec spec) throws IOException {
        SpawnCgroup target = SpawnCgroup.movedInAfterSpawn(spec.cgroup());
        Lock lock = Children.spawning();
        lock.lock();
        try {
            int[] residents = target != null ? target.residents() : null;
            int pid = call.spawn(spec.program(), spec.argv(), environment(spec));
            if (pid < 0) {
                throw failure(spec, -pid);
            }
            if (target != null) {
                target.moveIn(pid, residents);
            }
            return ChildProcess.started(pid, spec.program());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checked here because posix_spawn reports a failed chdir as a bare ENOENT, which would read
     * as "program not found".
     */
    private static void checkWorkingDirectory(Path directory) throws ErrnoException {
        if (directory != null && !Files.isDirectory(directory)) {
            throw ErrnoException.of("chdir", directory.toString(),
                    Files.exists(directory) ? Errno.ENOTDIR : Errno.ENOENT);
        }
    }

    private static void takeChildEnds(SpawnSpec spec, Map<Pipe, Integer> childEnds) {
        for (Stdio stdio : List.of(spec.stdin(), spec.stdout(), spec.stderr())) {
            if (stdio instanceof Stdio.PipeEnd(Pipe pipe) && !childEnds.containsKey(pipe)) {
                int fd = pipe.takeChildEnd();
                if (fd < 0) {
                    throw new IllegalStateException(pipe + " was already given to a process or closed");
                }
                childEnds.put(pipe, fd);
            }
        }
    }

    /** Session or group, signals, descriptors 0-2, working directory, and nothing else inherited. */
    private static void prepare(PosixSpawn call, SpawnSpec spec, Map<Pipe, Integer> childEnds) throws ErrnoException {
        call.isolate(spec.group() == SpawnSpec.Group.NEW_SESSION);
        if (spec.cgroup() != null && SpawnCgroup.startsInside()) {
            call.intoCgroup(spec.cgroup().directoryFd());
        }
        Stdio[] stdio = {spec.stdin(), spec.stdout(), spec.stderr()};
        int terminal = -1;
        for (int fd = 0; fd < stdio.length; fd++) {
            // instanceof rather than a pattern switch, whose bootstrap generates a class at a
            // process's first spawn, in the agent's first exec. Stdio is sealed: these are all its kinds.
            if (stdio[fd] instanceof Stdio.PipeEnd(Pipe pipe)) {
                call.dup2(childEnds.get(pipe), fd);
            } else if (stdio[fd] instanceof Stdio.Terminal(Pty pty)) {
                terminal = openTerminal(call, pty, fd, terminal);
            } else {
                call.open(fd, DEV_NULL, Libc.O_RDWR);
            }
        }
        if (spec.workingDirectory() != null) {
            call.chdir(spec.workingDirectory().toString());
        }
        // The child's ends of our pipes are close-on-exec, like every descriptor this project
        // opens; this also closes any the JVM or a library opened without it.
        call.closeFrom(3);
    }

    /** Opens the slave once, on the first descriptor that wants it; the others get copies. */
    private static int openTerminal(PosixSpawn call, Pty pty, int fd, int opened) throws ErrnoException {
        if (opened >= 0) {
            call.dup2(opened, fd);
            return opened;
        }
        // Opened after setsid and without O_NOCTTY: it becomes the controlling terminal.
        call.open(fd, pty.slavePath(), Libc.O_RDWR);
        return fd;
    }

    private static List<String> environment(SpawnSpec spec) {
        List<String> entries = new ArrayList<>(spec.environment().size());
        spec.environment().forEach((name, value) -> entries.add(name + "=" + value));
        return entries;
    }

    /** A chdir that failed after all (the directory went away) is reported as such, not as the program's fault. */
    private static SpawnException failure(SpawnSpec spec, int errno) throws ErrnoException {
        boolean pathError = errno == Errno.ENOENT || errno == Errno.ENOTDIR || errno == Errno.EACCES;
        if (pathError) {
            checkWorkingDirectory(spec.workingDirectory());
        }
        return SpawnException.of(spec.program(), errno);
    }
}
