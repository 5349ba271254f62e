package io.vsockexec.agent;

import io.vsockexec.protocol.ExecRequest;
import io.vsockexec.protocol.ExecTtyRequest;

/**
 * A decoded request, whichever message carried it.
 *
 * @param command what to run
 * @param stdin input to feed first (ExecRequest's {@code stdin}); empty for a terminal
 * @param rows the terminal's height, 0 for the default
 * @param cols the terminal's width, 0 for the default
 */
record SessionRequest(Launcher.Command command, byte[] stdin, int rows, int cols) {

    static SessionRequest of(ExecRequest r) {
        return new SessionRequest(new Launcher.Command(r.command(), r.args(), r.workingDir(), r.env(), r.user(), false),
                r.stdin(), 0, 0);
    }

    static SessionRequest of(ExecTtyRequest r) {
        return new SessionRequest(new Launcher.Command(r.command(), r.args(), r.workingDir(), r.env(), r.user(), true),
                new byte[0], r.rows(), r.cols());
    }
}
