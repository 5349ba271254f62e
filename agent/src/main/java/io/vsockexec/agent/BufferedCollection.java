package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ExitOrReadable;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Consumer;

/**
 * Buffered mode's output: the session's own thread reads stdout and stderr into the
 * {@link OutputBuffer} while it waits for the exit, then until both reach end of file. One thread
 * and one wait for the process, both pipes and the connection, where the streaming modes have a
 * relay thread per output and a reader of the connection: a short command's round trip would
 * otherwise be mostly thread wake-ups. The connection's reader starts only if the host sends
 * something (in this mode only its end of stream matters: the host has gone). After the drain
 * timeout (something else holds the pipes open), only what the pipes hold is taken, as a
 * finishing relay does.
 */
final class BufferedCollection implements PipeOutput {
    private final String name;
    private final OutputBuffer buffer;
    private final Descriptor host;
    private final Duration drainTimeout;
    private final Log log;
    private final List<BufferedOutput> open = new ArrayList<>();
    private final byte[] chunk = new byte[BufferedOutput.SCRATCH];
    /** True until the host sends something, which starts the connection's reader. */
    private boolean watchingHost = true;

    BufferedCollection(HostConnection host, OutputBuffer buffer, Duration drainTimeout, Log log) {
        this.name = host.name();
        this.host = host.connection().descriptor();
        this.buffer = buffer;
        this.drainTimeout = drainTimeout;
        this.log = log;
    }

    /** Small outputs: the pipes keep their default capacity. */
    @Override
    public boolean bulk() {
        return false;
    }

    /** No threads: only remembers the pipes. */
    @Override
    public void start(Pipe stdout, Pipe stderr, Consumer<IOException> hostGone) {
        open.add(new BufferedOutput(stdout.parentEnd(), buffer.stdoutSink()));
        open.add(new BufferedOutput(stderr.parentEnd(), buffer.stderrSink()));
    }

    @Override
    public ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException {
        ExitOrReadable ready;
        do {
            Descriptor[] awaited = sources(watchingHost);
            ready = child.awaitExitOrReadable(Deadline.none(), awaited);
            if (watchingHost && ready.readable(awaited.length - 1)) {
                watchingHost = false;
                startHostInput.run();
            }
            readReady(ready::readable);
        } while (!ready.exited());
        ExitStatus status = child.exitStatus().orElseThrow();
        drain();
        return status;
    }

    /** Reads the outputs to their end, or until the drain timeout and then what they hold. */
    private void drain() throws IOException {
        Deadline deadline = Deadline.after(drainTimeout);
        while (!open.isEmpty()) {
            int ready = Descriptor.awaitReadable(deadline, sources(false));
            if (ready == 0) {
                log.debug(() -> name + ": output still open " + drainTimeout + " after the command exited; finishing");
                for (BufferedOutput output : open) {
                    output.finish(chunk);
                }
                return;
            }
            readReady(i -> (ready & (1 << i)) != 0);
        }
    }

    /** The open outputs' pipes, then the connection if {@code withHost}. */
    private Descriptor[] sources(boolean withHost) {
        Descriptor[] sources = new Descriptor[open.size() + (withHost ? 1 : 0)];
        for (int i = 0; i < open.size(); i++) {
            sources[i] = open.get(i).source();
        }
        if (withHost) {
            sources[open.size()] = host;
        }
        return sources;
    }

    /** One read from each output that is {@code ready}; those at end of file are no longer open. */
    private void readReady(IntPredicate ready) throws IOException {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (ready.test(i) && !open.get(i).read(chunk)) {
                open.remove(i);
            }
        }
    }

    /** Nothing to wait for: the session's own thread did the reading. */
    @Override
    public void release(Connection connection) {
        // nothing
    }
}
