package io.vsockexec.cli;

import java.io.PrintStream;

/**
 * Where a command prints its own lines: the process's stdout and stderr, or a test's buffers. (The
 * remote command's output of {@code exec} goes to the process's descriptors as raw bytes; see
 * {@link LocalOutput}.)
 */
record Console(PrintStream out, PrintStream err) {
    /** This process's standard output and error. */
    static Console system() {
        return new Console(System.out, System.err);
    }
}
