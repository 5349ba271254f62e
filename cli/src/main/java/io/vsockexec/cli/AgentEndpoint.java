package io.vsockexec.cli;

import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.HybridEndpoint;
import io.vsockexec.transport.InvalidEndpointException;
import io.vsockexec.transport.UnixEndpoint;

/**
 * The agent a command talks to: the {@code --connect} option, else {@code $VSOCKEXEC_CONNECT}; the
 * word {@code local} starts an agent inside this process instead (see {@link LocalAgent}).
 */
final class AgentEndpoint implements AutoCloseable {
    /** The environment variable read when {@code --connect} is not given. */
    static final String ENV = "VSOCKEXEC_CONNECT";
    /** The {@code --connect} value that runs an agent in this process. */
    static final String LOCAL = "local";
    /** The endpoint forms, for messages. */
    static final String FORMS = "vsock://CID:PORT, hybrid:///PATH:PORT, unix:///PATH, tcp://HOST:PORT";

    private final Endpoint endpoint;
    private final LocalAgent local;

    private AgentEndpoint(Endpoint endpoint, LocalAgent local) {
        this.endpoint = endpoint;
        this.local = local;
    }

    /** {@code --connect ENDPOINT}, described for {@code purpose}, e.g. "The agent". */
    static Opt<String> option(String description) {
        return Opt.text("--connect", "ENDPOINT", description + " Default: $" + ENV + ".");
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
        throw CliException.usage("no agent to connect to: give --connect ENDPOINT or set " + ENV
                + " (e.g. --connect hybrid:///srv/vm1/v.sock:5000, or --connect local to try it without a VM)");
    }

    /**
     * Parses the option's endpoint, or starts the local agent.
     *
     * @throws CliException with {@link ExitCodes#USAGE} when neither option nor environment names an
     *     agent, {@link ExitCodes#LOCAL_FAILURE} for a malformed endpoint
     */
    static AgentEndpoint resolve(String option) throws Exception {
        String text = text(option);
        if (text.equals(LOCAL)) {
            UnixChannelStartup.prepare();
            LocalAgent agent = LocalAgent.start();
            return new AgentEndpoint(agent.endpoint(), agent);
        }
        return new AgentEndpoint(parse(text), null);
    }

    /**
     * The endpoint {@code text} names; for a Unix or hybrid one, the JDK's Unix channel is made
     * ready to start quickly ({@link UnixChannelStartup}).
     *
     * @throws CliException with {@link ExitCodes#LOCAL_FAILURE} for a malformed one, listing the forms
     */
    static Endpoint parse(String text) {
        try {
            Endpoint endpoint = Endpoint.parse(text);
            if (endpoint instanceof UnixEndpoint || endpoint instanceof HybridEndpoint) {
                UnixChannelStartup.prepare();
            }
            return endpoint;
        } catch (InvalidEndpointException e) {
            throw CliException.failure(ExitCodes.LOCAL_FAILURE, e.getMessage() + " (endpoints: " + FORMS + ", local)", e);
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
