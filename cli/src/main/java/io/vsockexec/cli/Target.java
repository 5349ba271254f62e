package io.vsockexec.cli;

import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.InvalidEndpointException;

/**
 * Where a command connects: the {@code --connect} option, else {@code $VSOCKEXEC_CONNECT}; the
 * word {@code local} starts an agent inside this process instead (see {@link LocalAgent}).
 */
final class Target implements AutoCloseable {
    /** The environment variable read when {@code --connect} is not given. */
    static final String ENV = "VSOCKEXEC_CONNECT";
    /** The {@code --connect} value that runs an agent in this process. */
    static final String LOCAL = "local";

    private final Endpoint endpoint;
    private final LocalAgent local;

    private Target(Endpoint endpoint, LocalAgent local) {
        this.endpoint = endpoint;
        this.local = local;
    }

    /** The text to connect to, from the option or the environment. */
    static String text(String option) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        throw new CliException(ExitCodes.USAGE, "no agent to connect to: give --connect ENDPOINT or set " + ENV
                + " (e.g. --connect hybrid:///srv/vm1/v.sock:5000, or --connect local to try it without a VM)");
    }

    /**
     * Resolves the option: parses an endpoint, or starts the local agent.
     *
     * @throws CliException with {@link ExitCodes#USAGE} when neither option nor environment names an
     *     agent, {@link ExitCodes#LOCAL_FAILURE} for a malformed endpoint
     */
    static Target resolve(String option) throws Exception {
        String text = text(option);
        if (text.equals(LOCAL)) {
            LocalAgent agent = LocalAgent.start();
            return new Target(agent.endpoint(), agent);
        }
        try {
            return new Target(Endpoint.parse(text), null);
        } catch (InvalidEndpointException e) {
            throw new CliException(ExitCodes.LOCAL_FAILURE, e.getMessage()
                    + " (endpoints: vsock://CID:PORT, hybrid:///PATH:PORT, unix:///PATH, tcp://HOST:PORT, local)", e);
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Stops the local agent, if one was started. */
    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
