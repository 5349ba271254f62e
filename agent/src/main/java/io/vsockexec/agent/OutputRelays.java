package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The streaming modes' output: each output (stdout and stderr, or the terminal) relayed to the
 * host by an {@link OutputRelay} of its own, as {@code Stdout} and {@code Stderr} frames. After
 * the exit the relays drain: they end at end of file, or after the drain timeout (something else
 * holds the output open) with what the output already holds.
 */
final class OutputRelays implements PipeOutput {
    private final String name;
    private final FrameWriter writer;
    private final Duration drainTimeout;
    private final Log log;
    private final List<OutputRelay> relays = new ArrayList<>();

    OutputRelays(HostConnection host, Duration drainTimeout, Log log) {
        this.name = host.name();
        this.writer = host.writer();
        this.drainTimeout = drainTimeout;
        this.log = log;
    }

    @Override
    public boolean bulk() {
        return true;
    }

    @Override
    public void start(Pipe stdout, Pipe stderr, Consumer<IOException> hostGone) {
        relay(name + " stdout", stdout.parentEnd(), MessageType.STDOUT, hostGone);
        relay(name + " stderr", stderr.parentEnd(), MessageType.STDERR, hostGone);
    }

    /** Starts relaying {@code source} as frames of {@code type}. */
    void relay(String label, Descriptor source, MessageType type, Consumer<IOException> hostGone) {
        OutputRelay.Sink frames = (bytes, offset, length) -> writer.writeWithHeaderRoom(type, bytes, offset, length);
        relays.add(new OutputRelay(label, source, frames, hostGone, log).start());
    }

    /** The connection is read from the start: the host's end of stream must cancel the command. */
    @Override
    public ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException, InterruptedException {
        startHostInput.run();
        ExitStatus status = child.waitFor(Deadline.none());
        drain();
        return status;
    }

    /**
     * Waits for the outputs to reach end of file; after the drain timeout (something else holds
     * them open), relays only what they already hold.
     */
    private void drain() throws InterruptedException {
        Deadline deadline = Deadline.after(drainTimeout);
        for (OutputRelay relay : relays) {
            relay.await(Duration.ofNanos(deadline.remainingNanos()));
        }
        for (OutputRelay relay : relays) {
            if (!relay.isDone()) {
                log.debug(() -> name + ": output still open " + drainTimeout + " after the command exited; finishing");
                relay.finish();
            }
        }
        for (OutputRelay relay : relays) {
            relay.await();
        }
    }

    @Override
    public void release(Connection connection) throws InterruptedException {
        for (OutputRelay relay : relays) {
            if (!relay.await(Duration.ofSeconds(1))) {
                // Only after a failure: it is blocked writing to a host that does not read.
                connection.close();
                relay.await();
            }
        }
    }
}
