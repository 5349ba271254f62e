package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.ExitOrReadable;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.Signals;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.FrameTooLongException;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.Payloads;
import io.vsockexec.protocol.ProtocolException;
import io.vsockexec.protocol.UnknownMessageTypeException;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One command, from its request to its final frame: spawn, relay, wait, drain, report. Runs on
 * the connection's thread. In the streaming modes each output has a relay thread; in buffered
 * mode the connection's thread reads both outputs itself while it waits for the exit. The input
 * has a pump thread, and one more thread reads the connection for the whole session (input,
 * signals, resizes, and end of stream, which means the host has gone and cancels the command).
 *
 * <p>Ordering: the final frame is written only after the process has been reaped and its
 * outputs have been read to their end, so every byte it wrote before exiting reaches the host first.
 */
final class Session {
    /** ^D: what an empty {@code Stdin} frame types on a terminal (the default VEOF character). */
    static final byte END_OF_FILE_KEY = 0x04;
    /** The terminal size when the request gives none. */
    static final int DEFAULT_ROWS = 24;
    static final int DEFAULT_COLS = 80;

    /** The pipe capacity asked for a streamed stdout and a piped stdin: Linux's default maximum. */
    static final int STREAM_PIPE_CAPACITY = 1024 * 1024;

    /** How often a cancelled session looks whether its process groups have emptied. */
    private static final Duration GROUP_POLL = Duration.ofMillis(50);

    private final String name;
    private final Mode mode;
    private final SessionRequest request;
    private final SessionContext context;
    private final Log log;
    private final Connection connection;
    private final FrameReader reader;
    private final FrameWriter writer;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private ProcessControl control;
    /** Guarded by {@link #lock}: the command is being cancelled. */
    private boolean cancelled;
    /** Guarded by {@link #lock}: why, for the log line. */
    private String cancelReason = "";
    /** Guarded by {@link #lock}: the final frame is written or being written; nothing is cancelled after. */
    private boolean reporting;
    /** Guarded by {@link #lock}. */
    private Thread terminator;

    private Pipe stdinPipe;
    private Pipe stdoutPipe;
    private Pipe stderrPipe;
    private Pty pty;
    private InputPump pump;
    private final List<OutputRelay> relays = new ArrayList<>();
    private OutputBuffer buffer;
    private Thread inbound;
    private volatile String program;

    Session(String name, Mode mode, SessionRequest request, SessionContext context, Connection connection,
            FrameReader reader, FrameWriter writer) {
        this.name = name;
        this.mode = mode;
        this.request = request;
        this.context = context;
        this.log = context.log();
        this.connection = connection;
        this.reader = reader;
        this.writer = writer;
        Launcher.Command c = request.command();
        this.program = c.args().isEmpty() ? Launcher.SHELL + " -c" : Launcher.printable(c.command());
    }

    /** The user the request asked for, empty for the agent's own. */
    String user() {
        return request.command().user();
    }

    /** The program the log line names, once known. */
    String program() {
        return program;
    }

    /**
     * Runs the command and writes the final frame.
     *
     * @throws IOException if the final frame cannot be written (the host has gone)
     */
    Outcome run() throws IOException, InterruptedException {
        try {
            Launcher.Plan plan = context.launcher().plan(request.command());
            program = plan.program();
            ChildProcess child = spawn(plan);
            ExitStatus status;
            if (mode == Mode.EXEC) {
                status = collect(child);
            } else {
                startInbound();
                status = child.waitFor(Deadline.none());
                drain();
            }
            try {
                return report(status);
            } catch (IOException e) {
                String why = cancelReason();
                throw new IOException(why.isEmpty() ? e.getMessage() : "cancelled (" + why + ")", e);
            }
        } catch (RequestException e) {
            reportError(e.getMessage());
            return Outcome.refused(e.getMessage());
        } catch (StartFailure f) {
            reportStartFailure(f);
            return Outcome.exited(f.exitCode(), f.getMessage());
        } finally {
            release();
        }
    }

    private void startInbound() {
        inbound = Thread.ofVirtual().name("vsockexec " + name + " inbound").start(this::readInbound);
    }

    /**
     * The thread that reads the connection, which the handler lets read on (discarding) for its
     * linger; null if nobody read the connection during the session (the command never started,
     * or a buffered exec whose host sent nothing more).
     */
    Thread inbound() {
        return inbound;
    }

    /**
     * Cancels the command: SIGTERM to its groups (on a terminal SIGHUP first, as when a terminal
     * closes), SIGKILL to whatever is left after the grace period. Does nothing once the final
     * frame is being written.
     */
    void cancel(String reason) {
        lock.lock();
        try {
            if (cancelled || reporting) {
                return;
            }
            cancelled = true;
            cancelReason = reason;
            log.debug(() -> name + ": cancelling: " + reason);
            if (control != null) {
                startTerminator();
            }
        } finally {
            lock.unlock();
        }
    }

    private String cancelReason() {
        lock.lock();
        try {
            return cancelReason;
        } finally {
            lock.unlock();
        }
    }

    private ChildProcess spawn(Launcher.Plan plan) throws RequestException, StartFailure {
        SpawnSpec spec;
        try {
            spec = openStdio(SpawnSpec.builder(plan.argv())
                    .environment(plan.environment())
                    .workingDirectory(plan.workingDirectory())).build();
        } catch (IllegalArgumentException e) {
            throw new RequestException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RequestException("cannot set up the command's " + (mode == Mode.TTY ? "terminal" : "pipes")
                    + ": " + e.getMessage(), e);
        }
        lock.lock();
        try {
            if (cancelled) {
                throw new RequestException("cancelled before the command started: " + cancelReason);
            }
            ChildProcess child;
            try {
                child = ChildProcess.spawn(spec);
            } catch (ErrnoException e) {
                throw Launcher.spawnFailure(e);
            } catch (IOException e) {
                throw new StartFailure(StartFailure.CANNOT_EXECUTE, e.getMessage());
            }
            control = new ProcessControl(child, pty, log);
            // Under the lock, so that a cancellation's terminator sees every relay.
            startRelays();
            return child;
        } finally {
            lock.unlock();
        }
    }

    /** Pipes, or a terminal, for the command's descriptors 0, 1 and 2. */
    private SpawnSpec.Builder openStdio(SpawnSpec.Builder spec) throws IOException {
        if (mode == Mode.TTY) {
            boolean sized = request.rows() > 0 && request.cols() > 0;
            pty = Pty.open(sized ? request.rows() : DEFAULT_ROWS, sized ? request.cols() : DEFAULT_COLS);
            return spec.terminal(pty);
        }
        stdoutPipe = Pipe.fromChild(name + " stdout");
        stderrPipe = Pipe.fromChild(name + " stderr");
        spec.stdout(Stdio.pipe(stdoutPipe)).stderr(Stdio.pipe(stderrPipe));
        if (mode == Mode.PIPE || request.stdin().length > 0) {
            stdinPipe = Pipe.toChild(name + " stdin");
            spec.stdin(Stdio.pipe(stdinPipe));
        }
        if (mode != Mode.EXEC) {
            // Streams may be bulk: a bigger pipe lets the command and its relay each move more per
            // wake-up. A buffered exec is usually short, and its output is bounded anyway.
            enlarge(stdoutPipe);
            enlarge(stdinPipe);
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

    private void startRelays() {
        Runnable hostGone = () -> cancel("the connection failed while relaying output");
        if (mode == Mode.TTY) {
            relays.add(new OutputRelay(name + " terminal", pty.master(), frames(MessageType.STDOUT),
                    hostGone, log).start());
            pump = new InputPump(name + " terminal input", pty.master(), () -> { }, log).start();
            return;
        }
        if (mode == Mode.EXEC) {
            // No relays: the session's own thread collects the output (see collect).
            buffer = new OutputBuffer(OutputBuffer.limitFor(context.config().maxFrame()));
        } else {
            relays.add(new OutputRelay(name + " stdout", stdoutPipe.parentEnd(), frames(MessageType.STDOUT),
                    hostGone, log).start());
            relays.add(new OutputRelay(name + " stderr", stderrPipe.parentEnd(), frames(MessageType.STDERR),
                    hostGone, log).start());
        }
        if (stdinPipe != null) {
            Pipe in = stdinPipe;
            pump = new InputPump(name + " stdin", in.parentEnd(), in::close, log).start();
            pump.offer(request.stdin());
            if (mode != Mode.PIPE) {
                pump.end();
            }
        }
    }

    private OutputRelay.Sink frames(MessageType type) {
        return (bytes, offset, length) -> writer.writeWithHeaderRoom(type, bytes, offset, length);
    }

    /**
     * Buffered mode: this thread reads stdout and stderr into the buffer while it waits for the
     * exit, then until both reach end of file. One thread and one wait for the process, both
     * pipes and the connection, where the streaming modes have a relay thread per output and a
     * reader of the connection: a short command's round trip would otherwise be mostly thread
     * wake-ups. The connection's reader starts only if the host sends something (in this mode
     * only its end of stream matters: the host has gone). After the drain timeout (something else
     * holds the pipes open), only what the pipes hold is taken, as a finishing relay does.
     */
    private ExitStatus collect(ChildProcess child) throws IOException {
        List<BufferedOutput> open = new ArrayList<>(List.of(
                new BufferedOutput(stdoutPipe.parentEnd(), buffer.stdoutSink()),
                new BufferedOutput(stderrPipe.parentEnd(), buffer.stderrSink())));
        byte[] chunk = new byte[BufferedOutput.SCRATCH];
        ExitOrReadable ready;
        do {
            Descriptor[] awaited = sources(open, inbound == null ? connection.descriptor() : null);
            ready = child.awaitExitOrReadable(Deadline.none(), awaited);
            if (inbound == null && ready.readable(awaited.length - 1)) {
                startInbound();
            }
            readReady(open, ready::readable, chunk);
        } while (!ready.exited());
        ExitStatus status = child.exitStatus().orElseThrow();
        Deadline deadline = Deadline.after(context.config().drainTimeout());
        while (!open.isEmpty()) {
            int mask = Descriptor.awaitReadable(deadline, sources(open, null));
            if (mask == 0) {
                log.debug(() -> name + ": output still open " + context.config().drainTimeout()
                        + " after the command exited; finishing");
                for (BufferedOutput output : open) {
                    output.finish(chunk);
                }
                break;
            }
            readReady(open, i -> (mask & (1 << i)) != 0, chunk);
        }
        return status;
    }

    /** The outputs' pipes, then {@code host} unless it is null. */
    private static Descriptor[] sources(List<BufferedOutput> outputs, Descriptor host) {
        Descriptor[] sources = new Descriptor[outputs.size() + (host == null ? 0 : 1)];
        for (int i = 0; i < outputs.size(); i++) {
            sources[i] = outputs.get(i).source();
        }
        if (host != null) {
            sources[outputs.size()] = host;
        }
        return sources;
    }

    /** One read from each output that is {@code ready}; those at end of file leave {@code open}. */
    private static void readReady(List<BufferedOutput> open, IntPredicate ready, byte[] chunk) throws IOException {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (ready.test(i) && !open.get(i).read(chunk)) {
                open.remove(i);
            }
        }
    }

    /**
     * Waits for the outputs to reach end of file; after the drain timeout (something else holds
     * them open), relays only what they already hold.
     */
    private void drain() throws InterruptedException {
        Deadline deadline = Deadline.after(context.config().drainTimeout());
        for (OutputRelay relay : relays) {
            relay.await(Duration.ofNanos(deadline.remainingNanos()));
        }
        for (OutputRelay relay : relays) {
            if (!relay.isDone()) {
                log.debug(() -> name + ": output still open " + context.config().drainTimeout()
                        + " after the command exited; finishing");
                relay.finish();
            }
        }
        for (OutputRelay relay : relays) {
            relay.await();
        }
    }

    private Outcome report(ExitStatus status) throws IOException {
        int code = status.shellCode();
        beginReport();
        switch (mode) {
            case EXEC -> {
                String error = buffer.error();
                reportBuffered(code, error);
                return Outcome.exited(code, error);
            }
            case STREAM -> send(new Message.ExecResult(ExecResponse.exited(code)));
            case PIPE, TTY -> send(new Message.Exit(code));
        }
        return Outcome.exited(code, "");
    }

    private void reportBuffered(int code, String error) throws IOException {
        try {
            send(new Message.ExecResult(new ExecResponse(code, buffer.stdout(), buffer.stderr(), error)));
        } catch (FrameTooLongException e) {
            // Cannot happen with the budget of OutputBuffer; if it did, the host still gets an answer.
            send(new Message.ExecResult(new ExecResponse(code, null, null,
                    "the output does not fit one frame of " + e.limit() + " bytes; use streaming (ExecStream)")));
        }
    }

    private void reportStartFailure(StartFailure f) throws IOException {
        beginReport();
        byte[] line = Mode.line(f.getMessage());
        if (mode == Mode.EXEC) {
            send(new Message.ExecResult(new ExecResponse(f.exitCode(), null, line, null)));
            return;
        }
        send(new Message.Stderr(line));
        send(mode.interactive() ? new Message.Exit(f.exitCode()) : new Message.ExecResult(ExecResponse.exited(f.exitCode())));
    }

    private void reportError(String reason) throws IOException {
        beginReport();
        Mode.answerError(mode, writer, reason);
    }

    private void beginReport() {
        lock.lock();
        try {
            reporting = true;
        } finally {
            lock.unlock();
        }
    }

    private void send(Message message) throws IOException {
        writer.write(Messages.encode(message));
    }

    /** Reads the connection until end of stream: input, signals, resizes; the host going away cancels. */
    private void readInbound() {
        try {
            while (true) {
                Frame frame;
                InputPump p = pump;
                try {
                    // Input is read into arrays the pump has written already, not a new one per frame.
                    frame = p == null ? reader.read() : reader.read(p::array);
                } catch (UnknownMessageTypeException e) {
                    log.debug(() -> name + ": ignored: " + e.getMessage());
                    continue;
                }
                if (frame == null) {
                    hostGone("the host closed the connection");
                    return;
                }
                dispatch(frame);
            }
        } catch (IOException e) {
            hostGone("reading the connection failed: " + e.getMessage());
        }
    }

    private void hostGone(String reason) {
        cancel(reason);
        InputPump p = pump;
        if (p != null) {
            p.end(); // no more input will come
        }
    }

    private void dispatch(Frame frame) {
        if (!mode.interactive() || isReporting()) {
            log.debug(() -> name + ": ignored a " + frame.type() + " frame");
            return;
        }
        try {
            switch (frame.type()) {
                case STDIN -> input(frame.payload());
                case SIGNAL -> signal(Payloads.decodeSignal(frame.payload()));
                case RESIZE -> resize(Payloads.decodeWindowSize(frame.payload()));
                default -> log.debug(() -> name + ": ignored a " + frame.type() + " frame");
            }
        } catch (ProtocolException e) {
            log.debug(() -> name + ": ignored a corrupt " + frame.type() + " frame: " + e.getMessage());
        }
    }

    private void input(byte[] bytes) {
        InputPump p = pump;
        if (p == null) {
            return; // ExecPipe always has a pump, ExecTTY too; this is only a guard
        }
        if (bytes.length > 0) {
            p.offer(bytes);
        } else if (mode == Mode.TTY) {
            p.offer(new byte[] {END_OF_FILE_KEY});
        } else {
            p.end();
        }
    }

    private void signal(int signal) {
        ProcessControl c = currentControl();
        if (c != null) {
            log.debug(() -> name + ": delivering " + Signals.name(signal));
            c.deliver(signal);
        }
    }

    private void resize(WindowSize size) {
        if (mode != Mode.TTY || currentControl() == null) {
            return;
        }
        try {
            pty.resize(size.rows(), size.cols());
        } catch (IOException | IllegalArgumentException e) {
            log.debug(() -> name + ": resize failed", e);
        }
    }

    /** The process control while the command may still be signalled; null before the spawn and once reported. */
    private ProcessControl currentControl() {
        lock.lock();
        try {
            return reporting ? null : control;
        } finally {
            lock.unlock();
        }
    }

    private boolean isReporting() {
        lock.lock();
        try {
            return reporting;
        } finally {
            lock.unlock();
        }
    }

    /** Called with {@link #lock} held. */
    private void startTerminator() {
        ProcessControl c = control;
        Duration grace = context.config().grace();
        terminator = Thread.ofVirtual().name("vsockexec " + name + " terminator").start(() -> terminate(c, grace));
    }

    private void terminate(ProcessControl c, Duration grace) {
        if (mode == Mode.TTY) {
            c.signalAll(Signals.SIGHUP);
        }
        c.signalAll(Signals.SIGTERM);
        Deadline deadline = Deadline.after(grace);
        try {
            // The command and the children that outlive it get the grace period. The session's
            // thread is the one that waits on the command; nothing announces that a group has
            // emptied; so look now and then.
            while ((c.child().exitStatus().isEmpty() || c.anyAlive()) && !deadline.hasPassed()) {
                LockSupport.parkNanos(Math.min(deadline.remainingNanos(), GROUP_POLL.toNanos()));
            }
        } catch (IOException e) {
            log.debug(() -> name + ": looking at the command failed", e);
        }
        if (c.anyAlive()) {
            log.debug(() -> name + ": SIGKILL to what is left");
            c.signalAll(Signals.SIGKILL);
        }
    }

    /**
     * Everything the session holds: the process killed and reaped, pump, relays, pipes and
     * terminal closed. Runs whatever happened before.
     */
    private void release() throws InterruptedException {
        ProcessControl c;
        Thread t;
        lock.lock();
        try {
            reporting = true;
            c = control;
            t = terminator;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            reap(c);
        }
        if (t != null) {
            t.join();
        }
        if (pump != null) {
            pump.stop();
        }
        closeQuietly(stdinPipe);
        closeQuietly(stdoutPipe);
        closeQuietly(stderrPipe);
        if (pty != null) {
            pty.close();
        }
        for (OutputRelay relay : relays) {
            if (!relay.await(Duration.ofSeconds(1))) {
                // Only after a failure: it is blocked writing to a host that does not read.
                connection.close();
                relay.await();
            }
        }
        if (pump != null) {
            pump.await();
        }
        if (c != null) {
            c.child().close();
        }
    }

    /** Normally the process has been reaped already; after a failure it is killed and reaped here. */
    private void reap(ProcessControl c) {
        try {
            if (c.child().exitStatus().isEmpty()) {
                c.signalAll(Signals.SIGKILL);
                c.child().waitFor(Deadline.after(Duration.ofSeconds(10)));
            }
        } catch (IOException e) {
            log.warning(name + ": could not reap " + c.child() + ": " + e.getMessage());
            log.debug(() -> name + ": could not reap", e);
        }
    }

    private static void closeQuietly(Pipe pipe) {
        if (pipe != null) {
            pipe.close();
        }
    }
}
