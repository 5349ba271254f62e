package io.vsockexec.conformance;

import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The machine the agent under test runs on, as the suites look at it: its processes and its
 * files. Where the agent runs beside the suite (a process on this machine, or inside the same
 * user-mode Linux kernel) that is this machine ({@link #local()}); where it runs in a guest the
 * suite reaches only through the agent (a VM), the agent itself is asked ({@link #through}).
 */
public interface AgentMachine {
    /** True while process {@code pid} exists there and is not a zombie. */
    boolean isAlive(long pid) throws IOException;

    /** Sends process {@code pid} SIGTERM, if it still exists. */
    void terminate(long pid) throws IOException;

    /** A new file there holding {@code content}, mode 0755 if {@code executable} else 0644. */
    Path newFile(String prefix, String suffix, String content, boolean executable) throws IOException;

    /** A fresh path there, in its temporary directory, that does not exist yet. */
    Path newPath(String prefix, String suffix) throws IOException;

    /** True if {@code path} exists there. */
    boolean exists(Path path) throws IOException;

    /** The text of file {@code path}. */
    String read(Path path) throws IOException;

    /** Writes {@code content} to {@code path}, atomically: a reader sees all of it or no file. */
    void write(Path path, String content) throws IOException;

    /** Removes {@code path} if it exists. */
    void delete(Path path) throws IOException;

    /**
     * Runs {@code script} with {@code sh -c} there, {@code args} as {@code $1...}, for what the
     * other methods do not cover (file modes, links, checksums).
     *
     * @return its standard output
     * @throws IOException if it fails, naming the script and its standard error
     */
    String shell(String script, String... args) throws IOException;

    /** This machine. */
    static AgentMachine local() {
        return LocalMachine.INSTANCE;
    }

    /** The machine of the agent at {@code exec}, reached by running commands there through it. */
    static AgentMachine through(Endpoint exec) {
        return new RemoteMachine(exec);
    }
}
