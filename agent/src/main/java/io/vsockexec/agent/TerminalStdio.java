package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pty;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.WindowSize;
import io.vsockexec.transport.Connection;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A pseudo-terminal for the command's descriptors 0, 1 and 2: its master relayed to the host as
 * {@code Stdout} frames, the host's input pumped into it, its size set by {@code Resize}.
 */
final class TerminalStdio implements ExecStdio {
    /** ^D: what an empty {@code Stdin} frame types on a terminal (the default VEOF character). */
    static final byte END_OF_FILE_KEY = 0x04;
    /** The terminal size when the request gives none. */
    static final int DEFAULT_ROWS = 24;
    static final int DEFAULT_COLS = 80;

    private final String name;
    private final int rows;
    private final int cols;
    private final OutputRelays relays;
    private final Log log;
    private Pty pty;
    private InputPump pump;

    /** A terminal of {@code rows} by {@code cols}, or of the default size unless both are positive. */
    TerminalStdio(String name, int rows, int cols, OutputRelays relays, Log log) {
        boolean sized = rows > 0 && cols > 0;
        this.name = name;
        this.rows = sized ? rows : DEFAULT_ROWS;
        this.cols = sized ? cols : DEFAULT_COLS;
        this.relays = relays;
        this.log = log;
    }

    @Override
    public Pty terminal() {
        return pty;
    }

    @Override
    public SpawnSpec.Builder open(SpawnSpec.Builder spec) throws IOException {
        try {
            pty = Pty.open(rows, cols);
        } catch (IOException e) {
            throw new IOException("cannot set up the command's terminal: " + e.getMessage(), e);
        }
        return spec.terminal(pty);
    }

    @Override
    public void start(Consumer<IOException> hostGone) {
        relays.relay(name + " terminal", pty.master(), MessageType.STDOUT, hostGone);
        pump = new InputPump(name + " terminal input", pty.master(), () -> { }, log).start();
    }

    @Override
    public ExitStatus awaitExit(ChildProcess child, Runnable startHostInput) throws IOException, InterruptedException {
        return relays.awaitExit(child, startHostInput);
    }

    /** Empty input types ^D, as the end of input does on a terminal. */
    @Override
    public void input(byte[] bytes) {
        if (pump != null) {
            pump.offer(bytes.length > 0 ? bytes : new byte[] {END_OF_FILE_KEY});
        }
    }

    @Override
    public void resize(WindowSize size) {
        try {
            pty.resize(size.rows(), size.cols());
        } catch (IOException | IllegalArgumentException e) {
            log.debug(() -> name + ": resize failed", e);
        }
    }

    @Override
    public InputPump pump() {
        return pump;
    }

    @Override
    public void release(Connection connection) throws InterruptedException {
        if (pty != null) {
            pty.close();
        }
        relays.release(connection);
    }
}
