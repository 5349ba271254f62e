package io.vsockexec.cli;

import io.vsockexec.transport.Endpoint;

/** Placeholder until the agent module lands. */
final class LocalAgent implements AutoCloseable {
    static LocalAgent start() {
        throw new CliException(ExitCodes.LOCAL_FAILURE, "--connect local is not available yet");
    }

    Endpoint endpoint() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
