package io.vsockexec.cli;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --connect local}: a real agent inside the CLI process, on a Unix socket in a fresh
 * directory only this user can enter (0700), so a command can be tried without a VM and still goes
 * through the whole stack: SDK, frames, socket, agent, process. The directory is removed when the
 * command ends, also on Ctrl-C (by a shutdown hook).
 */
final class LocalAgent implements AutoCloseable {
    /** Short, so Ctrl-C is not held up long by a command that ignores SIGTERM. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final Path dir;
    private final Agent agent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExitHook cleanupAtExit;

    private LocalAgent(Path dir, Agent agent) {
        this.dir = dir;
        this.agent = agent;
        // Last, once stop() has all it uses.
        this.cleanupAtExit = ExitHook.install("vsockexec-local-agent-cleanup", this::stop);
    }

    /** Starts the agent on a private socket. */
    static LocalAgent start() throws IOException {
        Path dir = Files.createTempDirectory("vsockexec-local-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            AgentConfig config = AgentConfig.builder()
                    .listen(Endpoint.parse("unix://" + dir.resolve("agent.sock")))
                    .ready(List.of())
                    .grace(GRACE)
                    .log(Log.to("vsockexec agent", LocalAgent::log))
                    .build();
            return new LocalAgent(dir, Agent.start(config));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The agent's session log is debug output here: the user asked for a command, not an agent. */
    private static void log(String line) {
        if (Log.debugEnabled()) {
            System.err.println(line);
        }
    }

    /** The socket the agent listens on. */
    Endpoint endpoint() {
        return agent.endpoints().getFirst();
    }

    /** Stops the agent (cancelling a command still running) and removes the directory. */
    @Override
    public void close() {
        stop();
        cleanupAtExit.close();
    }

    /**
     * Synchronized so that a second caller returns only once the first is done: a command's own
     * exit hook ends the process as soon as its stop action returns, and the clean-up may be
     * under way in this class's hook at that moment.
     */
    private synchronized void stop() {
        if (closed.compareAndSet(false, true)) {
            agent.close();
            deleteQuietly(dir.resolve("agent.sock"));
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover empty directory in the temp dir is not worth failing the command for.
        }
    }
}
