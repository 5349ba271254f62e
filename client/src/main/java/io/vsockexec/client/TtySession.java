package io.vsockexec.client;

import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.WindowSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command running on a remote pseudo-terminal ({@code ExecTTY}), as {@code docker exec -it}
 * runs one: keystrokes go in through {@link #input()}, everything the terminal shows comes out of
 * {@link #output()} (standard output and error are one stream on a terminal), and the window can be
 * resized and signals sent while it runs. Made by {@link VsockExecClient#openTty}.
 *
 * <pre>{@code
 * try (TtySession tty = client.openTty(Command.shell("bash"), 24, 80)) {
 *     Thread.ofVirtual().start(() -> tty.output().transferTo(System.out));
 *     tty.write("ls; exit\r".getBytes(UTF_8));
 *     int code = tty.waitFor().exitCode();
 * }
 * }</pre>
 *
 * <p><b>Read the output.</b> It is held in a bounded buffer ({@value TerminalOutput#CAPACITY}
 * bytes); when nobody reads it, the remote program blocks on its terminal and {@link #waitFor()}
 * waits with it (until the command's time limit, if it has one). Closing the output stream
 * discards the rest and cancels the command.
 *
 * <p>Closing the session before the command has exited cancels it: the agent kills its process
 * group. Thread-safe: one thread may write input while another reads output and a third resizes.
 */
public final class TtySession extends RunningCommand {
    private final TerminalOutput output;
    private final InputStream outputStream;
    private final OutputStream input;

    private TtySession(ExecCall call) {
        super(call);
        this.output = new TerminalOutput(call);
        this.outputStream = output.input();
        this.input = new StdinStream(call, false);
    }

    /** Starts reading the call's frames on a virtual thread. */
    static TtySession start(ExecCall call) {
        TtySession tty = new TtySession(call);
        Thread.ofVirtual().name("vsockexec-tty " + call.endpoint()).start(tty::relay);
        return tty;
    }

    private void relay() {
        OutputStream sink = output.sink();
        Relay.complete(call, sink, sink, "relaying terminal output", completion, output::end);
    }

    /**
     * The terminal's input: keystrokes, sent as they are written. Ctrl-C is the byte 0x03, end of
     * input (^D) 0x04; the remote terminal's line discipline gives them their meaning. Closing it
     * only stops further writes.
     */
    public OutputStream input() {
        return input;
    }

    /** Sends {@code bytes} as keystrokes; the same as {@code input().write(bytes)}. */
    public void write(byte[] bytes) throws IOException {
        input.write(bytes, 0, bytes.length);
    }

    /**
     * What the terminal shows, as it arrives; end of stream once the command has exited and its
     * output has been read. A failure of the session (timeout, lost connection) is thrown here too,
     * after the output received before it.
     */
    public InputStream output() {
        return outputStream;
    }

    /**
     * Changes the remote terminal's size; the program gets SIGWINCH.
     *
     * @throws IllegalArgumentException if {@code rows} or {@code cols} is outside 0 to 65535
     */
    public void resize(int rows, int cols) throws IOException {
        call.send(new Message.Resize(new WindowSize(rows, cols)));
    }

    /**
     * Cancels the command if it is still running, discards unread output and releases the
     * connection. Idempotent.
     */
    @Override
    public void close() {
        super.close();
        output.close();
    }
}
