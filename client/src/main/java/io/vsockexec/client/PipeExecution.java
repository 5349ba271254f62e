package io.vsockexec.client;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command running in pipe mode ({@code ExecPipe}): its output goes live to the streams given at
 * the start, its input comes from an input stream pumped for you or from {@link #stdin()}, and
 * signals can be sent while it runs. Made by {@link VsockExecClient#startPipe}.
 *
 * <pre>{@code
 * try (PipeExecution p = client.startPipe(Command.argv("cat"), null, System.out, System.err)) {
 *     p.stdin().write("hello\n".getBytes(UTF_8));
 *     p.stdin().close();                 // end of input: cat exits
 *     int code = p.waitFor().exitCode();
 * }                                      // close() cancels the command if it is still running
 * }</pre>
 *
 * <p>Thread-safe: one thread may write input while another sends signals and a third waits.
 */
public final class PipeExecution extends RunningCommand {
    private final OutputStream stdin;

    private PipeExecution(ExecCall call, boolean pumped) {
        super(call);
        this.stdin = pumped ? null : new StdinStream(call, true);
    }

    /** Starts reading the call's frames on a virtual thread, and pumping {@code input} if given. */
    static PipeExecution start(ExecCall call, InputStream input, OutputStream stdout, OutputStream stderr) {
        PipeExecution execution = new PipeExecution(call, input != null);
        Thread.ofVirtual().name("vsockexec-pipe " + call.endpoint()).start(() -> Relay.complete(call, stdout,
                stderr, "relaying the command's output", execution.completion, ended -> { }));
        if (input != null) {
            StdinPump.start(call, input);
        }
        return execution;
    }

    /**
     * The command's standard input: writes go out at once; {@code close()} sends end of input.
     *
     * @throws IllegalStateException if an input stream was given at the start, which is pumped
     *     instead
     */
    public OutputStream stdin() {
        if (stdin == null) {
            throw new IllegalStateException("this execution's input comes from the stream given to startPipe");
        }
        return stdin;
    }
}
