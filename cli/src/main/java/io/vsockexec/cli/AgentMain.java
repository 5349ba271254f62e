package io.vsockexec.cli;

import io.vsockexec.nativeio.NativeLinking;

/**
 * The entry point the launcher gives {@code vsockexec agent} ({@code bin/vsockexec agent},
 * {@code bin/vsockexec-agent}): it starts linking the native calls on a thread of their own
 * ({@link NativeLinking}) before anything else, so that the linking overlaps the whole of the
 * command line's start (its tables, the parsing, the agent's configuration) rather than only the
 * agent command's part, then runs the command line as {@link Main} does, with the same arguments,
 * output and exit status.
 */
public final class AgentMain {
    private AgentMain() {}

    /** {@link NativeLinking#startInBackground()}, then {@link Main#main(String[])}. */
    public static void main(String[] args) {
        NativeLinking.startInBackground();
        Main.main(args);
    }
}
