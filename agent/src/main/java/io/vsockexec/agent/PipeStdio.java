package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Pipes for the command's descriptors 0, 1 and 2: stdout and stderr always, stdin when there is
 * input (the request's {@code stdin}, or a stream of it in {@code ExecPipe}), fed by an
 * {@link InputPump}. The output goes where the mode's {@link PipeOutput} takes it.
 */
final class PipeStdio implements ExecStdio {
    /** The pipe capacity asked for a streamed stdout and a piped stdin: Linux's default maximum. */
    static final int STREAM_PIPE_CAPACITY = 1024 * 1024;

    private final String name;
    private final byte[] firstInput;
    private final boolean inputStreams;
    private final PipeOutput output;
    private final Log log;
    private Pipe stdin;
    private Pipe stdout;
    private Pipe stderr;
    private InputPump pump;

    /**
     * @param firstInput the request's input, written first
     * @param inputStreams whether more input follows in {@code Stdin} frames (stdin stays open until
     *     the host ends it), or the request's input is all
     */
    PipeStdio(String name, byte[] firstInput, boolean inputStreams, PipeOutput output, Log log) {
        this.name = name;
        this.firstInput = firstInput;
        this.inputStreams = inputStreams;
        this.output = output;
        this.log = log;
    }

    @Override
    public SpawnSpec.Builder open(SpawnSpec.Builder spec) throws IOException {
        try {
            return openPipes(spec);
        } catch (IOException e) {
            throw new IOException("cannot set up the command's pipes: " + e.getMessage(), e);
        }
    }

    private SpawnSpec.Builder openPipes(SpawnSpec.Builder spec) throws IOException {
        stdout = Pipe.fromChild(name + " stdout");
        stderr = Pipe.fromChild(name + " stderr");
        spec.stdout(Stdio.pipe(stdout)).stderr(Stdio.pipe(stderr));
        if (inputStreams || firstInput.length > 0) {
            stdin = Pipe.toChild(name + " stdin");
            spec.stdin(Stdio.pipe(stdin));
        }
        if (output.bulk()) {
            // A bigger pipe lets the command and its relay each move more per wake-up. A buffered
            // exec is usually short, and its output is bounded anyway.
            enlarge(stdout);
            enlarge(stdin);
        }
        return spec;
    }

    /** Best effort: a pipe keeps its default capacity where the system allows no more. */
    private void enlarge(Pipe pipe) {
        if (pipe == null) {
            return;
        }
        try {
            pipe.resize(STREAM_PIPE_CAPACITY);
        } catch (IOException e) {
            log.debug(() -> name + ": keeps the default pipe capacity: " + e.getMessage());
        }
    }

    @Override
    public Pty terminal() {
        return null;
    }

    @Override
    public void start(Consumer<IOException> hostGone) {
        output.start(stdout, stderr, hostGone);
        if (stdin != null) {
            Pipe in = stdin;
            pump = new InputPump(name + " stdin", in.parentEnd(), in::close, log).start();
            pump.offer(firstInput);
            if (!inputStreams) {
                pump.end();
            }
        }
    }

    @Override
    public ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException, InterruptedException {
        return output.awaitExit(child, startHostInput);
    }

    /** Empty input closes the command's stdin, once what is queued has been written. */
    @Override
    public void input(byte[] bytes) {
        if (pump == null) {
            return; // ExecPipe always has a pump; this is only a guard
        }
        if (bytes.length > 0) {
            pump.offer(bytes);
        } else {
            pump.end();
        }
    }

    @Override
    public void resize(WindowSize size) {
        // no terminal
    }

    @Override
    public InputPump pump() {
        return pump;
    }

    @Override
    public void release(Connection connection) throws InterruptedException {
        for (Pipe pipe : new Pipe[] {stdin, stdout, stderr}) {
            if (pipe != null) {
                pipe.close();
            }
        }
        output.release(connection);
    }
}
