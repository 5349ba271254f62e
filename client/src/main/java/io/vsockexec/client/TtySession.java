package io.vsockexec.client;

import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.WindowSize;
import java.io.Closeable;
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
public final class TtySession implements Closeable {
    private final Session session;
    private final TerminalOutput output;
    private final InputStream outputStream;
    private final OutputStream input;
    private final Completion completion = new Completion();

    private TtySession(Session session) {
        this.session = session;
        this.output = new TerminalOutput(session);
        this.outputStream = output.input();
        this.input = new StdinStream(session, false);
    }

    /** Starts reading the session's frames on a virtual thread. */
    static TtySession start(Session session) {
        TtySession tty = new TtySession(session);
        Thread.ofVirtual().name("vsockexec-tty " + session.endpoint()).start(tty::relay);
        return tty;
    }

    private void relay() {
        OutputStream sink = output.sink();
        Relay.complete(session, sink, sink, "relaying terminal output", completion, output::end);
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
        session.send(new Message.Resize(new WindowSize(rows, cols)));
    }

    /**
     * Sends signal {@code signal} (1 to 64) to the remote command.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     */
    public void signal(int signal) throws IOException {
        session.send(new Message.Signal(signal));
    }

    /**
     * Waits for the command to exit and returns its exit code and duration. Being interrupted
     * cancels the command and throws {@link java.io.InterruptedIOException}. See the class comment
     * about reading the output meanwhile.
     */
    public ExecStatus waitFor() throws IOException {
        return completion.await(session);
    }

    /** True once the command has exited or the session has failed. */
    public boolean isDone() {
        return completion.isDone();
    }

    /**
     * Cancels the command if it is still running, discards unread output and releases the
     * connection. Idempotent.
     */
    @Override
    public void close() {
        session.close();
        output.close();
    }

    @Override
    public String toString() {
        return "TtySession[" + session.endpoint() + (isDone() ? ", done" : ", running") + "]";
    }
}
