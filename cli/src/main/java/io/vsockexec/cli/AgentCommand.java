package io.vsockexec.cli;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.nativeio.NativeLinking;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.InsecureEndpointException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vsockexec agent}: the daemon inside the VM that runs what hosts ask for. Its options are
 * {@link AgentOptions}' one table, which sets an {@link AgentConfig.Builder}.
 */
final class AgentCommand {
    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("agent")
            .summary("Run the guest agent")
            .paragraph("Run the guest agent: serve exec sessions on the listen endpoints and answer readiness"
                    + " probes on the ready endpoints, until SIGTERM (or SIGINT).")
            .paragraph("Prints one line to stdout when ready, and one line per session to stderr.")
            .options(AgentOptions.options())
            .section("Examples",
                    "# Inside a VM, the defaults (Go reference ports):",
                    "vsockexec agent",
                    "",
                    "# Without a VM: a Unix socket, and a Firecracker-style emulated VM socket for readiness:",
                    "vsockexec agent --listen unix:///tmp/agent.sock --ready hybrid:///tmp/vm.sock:5002",
                    "",
                    "# As PID 1 of a small VM, reaping orphans, with a tighter cap:",
                    "vsockexec agent --subreaper --max-sessions 32 --grace 2s")
            .section("Signals",
                    "SIGTERM (and SIGINT unless ignored at start) stop accepting, cancel running sessions",
                    "(SIGTERM to each process group, SIGKILL after --grace) and exit 0.")
            .build(), AgentCommand::run);

    private AgentCommand() {}

    private static int run(Args args, Console console) throws InterruptedException {
        // The C calls' linking overlaps the configuration and the binding (docs/PERFORMANCE.md).
        NativeLinking.startInBackground();
        AgentConfig config = config(args);
        try {
            return serve(config, console.out());
        } catch (InsecureEndpointException e) {
            throw CliException.usage(insecureMessage(e));
        }
    }

    /**
     * The configuration the options describe.
     *
     * @throws CliException with status 2 for a combination the agent refuses
     */
    static AgentConfig config(Args args) {
        try {
            return AgentOptions.configure(AgentConfig.builder(), args).build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /**
     * Starts the agent, prints the ready line to {@code out} and serves until a termination signal.
     *
     * @throws InsecureEndpointException for a {@code tcp://} endpoint off loopback without
     *     {@code --allow-insecure-tcp}, before anything is bound
     */
    static int serve(AgentConfig config, PrintStream out) throws InterruptedException {
        // The stop is armed before anything is bound: a host that sees the ready endpoint accept
        // may stop the agent at once, and that must be a clean stop (status 0), not the JVM's 130,
        // even before Agent.start has returned (AgentStop).
        AgentStop stop = new AgentStop();
        try (ExitHook _ = TerminationSignals.onTermination(stop::request)) {
            Agent agent;
            try {
                agent = Agent.start(config);
            } catch (IOException e) {
                throw CliException.failure(ExitCodes.FAILURE, e.getMessage(), e);
            } catch (InsecureEndpointException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage()); // the memory ceiling leaves too little for the options
            }
            stop.arrived(agent);
            try {
                out.println(readyLine(agent));
                out.flush();
                agent.awaitTermination();
            } finally {
                agent.shutdown();
            }
        }
        return ExitCodes.OK;
    }

    static String insecureMessage(InsecureEndpointException e) {
        return "refusing to listen on " + e.endpoint() + ": not a loopback address, and TCP carries no"
                + " authentication; add --allow-insecure-tcp to listen there anyway";
    }

    /** {@code vsockexec agent ready: exec unix:///a.sock, ready vsock://any:5002}. */
    static String readyLine(Agent agent) {
        List<String> parts = new ArrayList<>();
        for (Endpoint e : agent.endpoints()) {
            parts.add("exec " + e);
        }
        for (Endpoint e : agent.readyEndpoints()) {
            parts.add("ready " + e);
        }
        return "vsockexec agent ready: " + String.join(", ", parts);
    }
}
