package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.protocol.BinaryPayloads;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.FrameReader;
import io.vsockexec.protocol.ProtocolException;
import io.vsockexec.protocol.UnknownMessageTypeException;
import java.io.IOException;

/**
 * The reader of the connection during an exec session, on a virtual thread of its own: the host's
 * {@code Stdin}, {@code Signal} and {@code Resize} frames, taken only by the interactive modes
 * (and only until the final frame is being written), and the end of stream, which means the host
 * has gone and cancels the command. After the session the connection lingers while this thread
 * reads on, discarding.
 */
final class HostInput {
    /** What a mode that takes no input frames reads the connection with, to see its end. */
    private static final int DISCARD_BUFFER = 1024;

    private final String name;
    private final HostConnection host;
    private final FrameReader reader;
    private final ExecStdio stdio;
    private final ExecSession session;
    private final boolean interactive;
    private final Log log;
    private final Thread thread;

    /** @param interactive whether the mode takes input frames; if not, only the end of stream counts */
    HostInput(HostConnection host, ExecStdio stdio, ExecSession session, boolean interactive, Log log) {
        this.name = host.name();
        this.host = host;
        this.reader = host.reader();
        this.stdio = stdio;
        this.session = session;
        this.interactive = interactive;
        this.log = log;
        this.thread = Thread.ofVirtual().name("vsockexec " + name + " inbound").unstarted(this::run);
    }

    HostInput start() {
        thread.start();
        return this;
    }

    Thread thread() {
        return thread;
    }

    private void run() {
        try {
            if (interactive) {
                readFrames();
            } else {
                discard();
            }
        } catch (IOException e) {
            hostGone("reading the connection failed: " + e.getMessage());
        }
    }

    /**
     * The interactive modes: frames until the end of stream. Each frame's payload is reserved
     * from the agent's budget as it arrives; an input chunk takes its reservation along to the
     * pump, which gives it back once written, and anything else gives it back before the next frame.
     */
    private void readFrames() throws IOException {
        while (true) {
            Frame frame;
            InputPump pump = stdio.pump();
            host.memory().releaseFrame();
            try {
                // Input is read into arrays the pump has written already, not a new one per frame.
                frame = pump == null ? reader.read() : reader.read(pump::array);
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
    }

    /** A mode that takes no input: only the end of stream counts, so bytes are dropped, never gathered into frames. */
    private void discard() throws IOException {
        byte[] scratch = new byte[DISCARD_BUFFER];
        while (host.input().read(scratch, 0, scratch.length) >= 0) {
            // dropped: nothing the host sends now has a meaning
        }
        hostGone("the host closed the connection");
    }

    private void hostGone(String reason) {
        session.cancel(reason);
        InputPump pump = stdio.pump();
        if (pump != null) {
            pump.end(); // no more input will come
        }
    }

    private void dispatch(Frame frame) {
        if (!interactive || session.isReporting()) {
            log.debug(() -> name + ": ignored a " + frame.type() + " frame");
            return;
        }
        try {
            switch (frame.type()) {
                case STDIN -> stdio.input(frame.payload(), host.memory().detach());
                case SIGNAL -> session.signal(BinaryPayloads.decodeSignal(frame.payload()));
                case RESIZE -> stdio.resize(BinaryPayloads.decodeWindowSize(frame.payload()));
                default -> log.debug(() -> name + ": ignored a " + frame.type() + " frame");
            }
        } catch (ProtocolException e) {
            log.debug(() -> name + ": ignored a corrupt " + frame.type() + " frame: " + e.getMessage());
        }
    }
}
