package io.vsockexec.agent;

import java.io.IOException;

/**
 * One request being served on its connection, from the request to the final frame: what a
 * {@link RequestHandler} opens. Runs on the connection's thread; {@link #cancel} comes from
 * another (the agent's shutdown).
 */
interface Exchange {
    /**
     * Serves the request and writes the final frame.
     *
     * @throws IOException if the final frame cannot be written (the host has gone)
     */
    Outcome run() throws IOException, InterruptedException;

    /** Ends the work early, for {@code reason}; the final frame is still written. */
    void cancel(String reason);

    /**
     * The thread still reading the connection after {@link #run()}, which the connection lets read
     * on (discarding) while it lingers; null if nothing reads the connection.
     */
    Thread reader();

    /** What the session's log line says after its label, e.g. {@code /usr/bin/cat user=nobody}; may be empty. */
    String summary();
}
