package io.vsockexec.conformance;

import io.vsockexec.nativeio.Deadline;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.IOException;
import java.time.Duration;

/** Where the agent under test listens, handed to the suites through a system property. */
public final class Target {
    /** The system property holding the agent's exec endpoint. */
    public static final String EXEC_PROPERTY = "vsockexec.conformance.exec";

    private Target() {}

    /** Waits until {@code readyEndpoint} accepts a connection, for at most a minute. */
    static void awaitReady(String readyEndpoint) throws IOException, InterruptedException {
        Endpoint endpoint = Endpoint.parse(readyEndpoint);
        Deadline deadline = Deadline.after(Duration.ofMinutes(1));
        long backoffMillis = 10;
        while (true) {
            try (Connection c = Transports.dial(endpoint, deadline)) {
                return;
            } catch (IOException e) {
                if (deadline.hasPassed()) {
                    throw e;
                }
            }
            Thread.sleep(backoffMillis);
            backoffMillis = Math.min(200, backoffMillis * 2);
        }
    }
}
