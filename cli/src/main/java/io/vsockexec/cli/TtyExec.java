package io.vsockexec.cli;

import io.vsockexec.base.Log;
import io.vsockexec.client.Command;
import io.vsockexec.client.TtySession;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.Terminal;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code vsockexec exec -t}: a remote pseudo-terminal, driven from the local one the way
 * {@code docker exec -t} / {@code -it} does it.
 *
 * <ul>
 *   <li>The remote terminal starts at the local window's size, and follows it: every SIGWINCH sends
 *       the new size.</li>
 *   <li>With {@code -i}, the local terminal goes into raw mode and every keystroke is sent as typed
 *       (Ctrl-C reaches the remote program through its terminal, not this process). The settings
 *       are put back on every way out: a normal end, an error, and SIGINT, SIGTERM or SIGHUP from
 *       elsewhere, on which the JVM runs its shutdown hooks (one restores the terminal) and exits
 *       with 128+N.</li>
 *   <li>Without {@code -i}, no input is sent and the local terminal is left alone, so Ctrl-C stops
 *       this process, which closes the connection, which stops the remote command.</li>
 * </ul>
 *
 */
final class TtyExec {
    private static final Log LOG = Log.process();
    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private final TtySession tty;
    private final ReentrantLock resizeLock = new ReentrantLock();
    private final List<Runnable> undo = new ArrayList<>();

    private TtyExec(TtySession tty) {
        this.tty = tty;
    }

    /** True when standard input is a terminal, which {@code -t} needs. */
    static boolean available() {
        return Terminal.isTerminal(STDIN);
    }

    /** Runs {@code command} on a remote terminal and returns its exit code. */
    static int run(VsockExecClient client, Command command, boolean interactive, OutputStream out) throws IOException {
        Terminal.Size size = localSize();
        try (TtySession tty = client.openTty(command, size.rows(), size.cols())) {
            TtyExec exec = new TtyExec(tty);
            try {
                exec.followWindowSize();
                if (interactive) {
                    exec.enterRawMode();
                    exec.pumpKeystrokes();
                }
                tty.output().transferTo(out);
                return tty.waitFor().exitCode();
            } finally {
                exec.undoAll();
            }
        }
    }

    /** The local window: standard output's terminal, else standard input's; 0x0 (the agent's default) if unknown. */
    private static Terminal.Size localSize() {
        for (int fd : new int[] {STDOUT, STDIN}) {
            try {
                Terminal.Size size = Terminal.size(fd);
                if (size.rows() > 0 && size.cols() > 0) {
                    return size;
                }
            } catch (ErrnoException notATerminal) {
                // Try the next descriptor.
            }
        }
        return new Terminal.Size(0, 0);
    }

    private void followWindowSize() {
        try {
            // The signal thread must not block on the connection; the lock keeps the last size last.
            WindowChangeSignal.Installed winch = WindowChangeSignal.install(
                    () -> Thread.ofVirtual().name("vsockexec-winch").start(this::sendSize));
            undo.add(winch::close);
        } catch (UnsupportedOperationException e) {
            // The remote terminal keeps its initial size.
            LOG.debug(e::getMessage);
        }
    }

    private void sendSize() {
        resizeLock.lock();
        try {
            Terminal.Size size = localSize();
            if (size.rows() > 0 && size.cols() > 0 && !tty.isDone()) {
                LOG.debug(() -> "window resized to " + size);
                tty.resize(size.rows(), size.cols());
            }
        } catch (IOException sessionOver) {
            // The session ended meanwhile; the main thread reports how.
        } finally {
            resizeLock.unlock();
        }
    }

    private void enterRawMode() throws ErrnoException {
        Terminal.RawMode raw = Terminal.enterRawMode(STDIN);
        // Also restores when SIGINT, SIGTERM or SIGHUP ends the JVM while the terminal is raw.
        ExitHook restoreAtExit = ExitHook.install("vsockexec-restore-terminal", raw::close);
        undo.add(() -> {
            raw.close();
            restoreAtExit.close();
        });
    }

    /**
     * Copies keystrokes on a virtual thread: it never keeps the JVM alive, and since a read of the
     * terminal cannot be interrupted it is simply left behind when the command ends.
     */
    private void pumpKeystrokes() {
        InputStream keys = new FileInputStream(FileDescriptor.in);
        Thread.ofVirtual().name("vsockexec-keys").start(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n = keys.read(buffer); n >= 0 && !tty.isDone(); n = keys.read(buffer)) {
                    tty.input().write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // The terminal or the session is gone; the main thread reports the session's end.
            }
        });
    }

    /** Restores the terminal and the signal handlers, newest first. */
    private void undoAll() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
    }
}
