package io.vsockexec.cli;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Timeout;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.InsecureEndpointException;
import io.vsockexec.transport.InvalidEndpointException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vsockexec agent}: the daemon inside the VM that runs what hosts ask for. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run the guest agent: serve exec sessions on the listen endpoints and answer readiness "
                    + "probes on the ready endpoints, until SIGTERM (or SIGINT).",
            "Prints one line to stdout when ready, and one line per session to stderr."
        },
        footer = {
            "",
            "Examples:",
            "  # Inside a VM, the defaults (Go reference ports):",
            "  vsockexec agent",
            "",
            "  # Without a VM: a Unix socket, and a Firecracker-style emulated VM socket for readiness:",
            "  vsockexec agent --listen unix:///tmp/agent.sock --ready hybrid:///tmp/vm.sock:5002",
            "",
            "  # As PID 1 of a small VM, reaping orphans, with a tighter cap:",
            "  vsockexec agent --subreaper --max-sessions 32 --grace 2s",
            "",
            "Signals: SIGTERM (and SIGINT unless ignored at start) stop accepting, cancel running",
            "sessions (SIGTERM to each process group, SIGKILL after --grace) and exit 0."
        })
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ENDPOINT",
            description = "Serve sessions here; repeatable. Default: " + AgentConfig.DEFAULT_LISTEN + ".")
    List<String> listen = new ArrayList<>();

    @Option(names = "--ready", paramLabel = "ENDPOINT",
            description = "Accept and close at once here, so a connect means ready; repeatable. Default: "
                    + AgentConfig.DEFAULT_READY + ".")
    List<String> ready = new ArrayList<>();

    @Option(names = "--no-ready", description = "No readiness endpoint.")
    boolean noReady;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Between SIGTERM and SIGKILL when a session is cancelled. Default: 5s.")
    Duration grace = AgentConfig.DEFAULT_GRACE;

    @Option(names = "--max-sessions", paramLabel = "N",
            description = "Sessions at once; more are answered \"agent busy\". Default: 256.")
    int maxSessions = AgentConfig.DEFAULT_MAX_SESSIONS;

    @Option(names = "--max-frame", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Largest frame payload (e.g. 16MiB); bounds buffered Exec output too. Default: 16MiB.")
    int maxFrame = AgentConfig.DEFAULT_MAX_FRAME;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "After the command exits, how long to keep relaying output that a background"
                    + " process holds open. Default: 2s.")
    Duration drainTimeout = AgentConfig.DEFAULT_DRAIN_TIMEOUT;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a new connection may take to send its request. Default: 10s.")
    Duration requestTimeout = AgentConfig.DEFAULT_REQUEST_TIMEOUT;

    @Option(names = "--max-pending", paramLabel = "N",
            description = "Connections waiting for their request at once; a new one beyond closes the oldest."
                    + " Default: 1024.")
    int maxPending = AgentConfig.DEFAULT_MAX_PENDING;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a client of a hybrid:// socket may take to send its CONNECT line. Default: 5s.")
    Duration handshakeTimeout = AgentConfig.DEFAULT_HANDSHAKE_TIMEOUT;

    @Option(names = "--stall-timeout", paramLabel = "DURATION",
            description = "Cancel a session whose host has read nothing for this long while output waits,"
                    + " as if it had gone; 'none' for never. Default: 10m.")
    String stallTimeout = "10m";

    @Option(names = "--no-cgroups",
            description = "Do not run sessions in cgroups of their own (by default, as root with cgroup v2);"
                    + " rely on process groups.")
    boolean noCgroups;

    @Option(names = "--allow-insecure-tcp",
            description = "Allow tcp:// on a non-loopback address: anyone who reaches it runs commands.")
    boolean allowInsecureTcp;

    @Option(names = "--subreaper",
            description = "Become a child subreaper and reap orphaned descendants (automatic as PID 1).")
    boolean subreaper;

    @Override
    public Integer call() throws Exception {
        try {
            return serve(config(), spec.commandLine().getOut());
        } catch (InsecureEndpointException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), insecureMessage(e), e);
        }
    }

    /**
     * Starts the agent, prints the ready line to {@code out} and serves until a termination
     * signal; {@link #call()} and the fast start of {@link AgentFastStart} share it.
     *
     * @throws InsecureEndpointException for a {@code tcp://} endpoint off loopback without
     *     {@code --allow-insecure-tcp}, before anything is bound
     */
    static int serve(AgentConfig config, PrintWriter out) throws InterruptedException {
        Agent agent;
        try {
            agent = Agent.start(config);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage(), e);
        }
        try (ExitHook _ = TerminationSignals.onTermination(agent::shutdown)) {
            out.println(readyLine(agent));
            out.flush();
            agent.awaitTermination();
        } finally {
            agent.shutdown();
        }
        return ExitCodes.OK;
    }

    static String insecureMessage(InsecureEndpointException e) {
        return "refusing to listen on " + e.endpoint() + ": not a loopback address, and TCP carries no"
                + " authentication; add --allow-insecure-tcp to listen there anyway";
    }

    /** The configuration the options describe; a bad combination is a usage error. */
    AgentConfig config() {
        try {
            return buildConfig();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * The configuration the options describe.
     *
     * @throws IllegalArgumentException naming a bad endpoint or value
     */
    AgentConfig buildConfig() {
        return AgentConfig.builder()
                .listen(endpoints(listen.isEmpty() ? List.of(AgentConfig.DEFAULT_LISTEN) : listen, "--listen"))
                .ready(noReady ? List.of()
                        : endpoints(ready.isEmpty() ? List.of(AgentConfig.DEFAULT_READY) : ready, "--ready"))
                .grace(grace)
                .maxSessions(maxSessions)
                .maxFrame(maxFrame)
                .drainTimeout(drainTimeout)
                .requestTimeout(requestTimeout)
                .maxPending(maxPending)
                .handshakeTimeout(handshakeTimeout)
                .stallTimeout(stallTimeout.equals("none") ? Timeout.NONE : Timeout.of(positive("--stall-timeout",
                        DurationConverter.parse(stallTimeout))))
                .cgroups(!noCgroups)
                .allowInsecureTcp(allowInsecureTcp)
                .subreaper(subreaper)
                .build();
    }

    private static Duration positive(String option, Duration d) {
        if (d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, or none");
        }
        return d;
    }

    private List<Endpoint> endpoints(List<String> texts, String option) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String text : texts) {
            try {
                endpoints.add(Endpoint.parse(text));
            } catch (InvalidEndpointException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return endpoints;
    }

    /** {@code vsockexec agent ready: exec unix:///a.sock, ready vsock://any:5002}. */
    static String readyLine(Agent agent) {
        List<String> parts = new ArrayList<>();
        agent.endpoints().forEach(e -> parts.add("exec " + e));
        agent.readyEndpoints().forEach(e -> parts.add("ready " + e));
        return "vsockexec agent ready: " + parts.stream().collect(Collectors.joining(", "));
    }
}
