package io.vsockexec.cli;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.ClientOptions;
import io.vsockexec.client.Readiness;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code vsockexec port-forward}: local ports to TCP ports inside a VM, like {@code kubectl port-forward} and {@code ssh -L}. */
final class PortForwardCommand {
    static final Opt<String> CONNECT = AgentEndpoint.option("The agent: " + AgentEndpoint.FORMS
            + ", or local (an agent in this process).");
    /**
     * How long opening one forward may take, connecting to the agent included. The agent gives up
     * connecting to the VM's port after 30 s and says so; this is the limit for an agent that
     * never answers.
     */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    /** How long the check at start waits for the agent to accept a connection. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("port-forward")
            .summary("Forward local ports to ports inside a VM")
            .usage("[OPTIONS] " + ForwardSpec.FORM + "...")
            .paragraph("Listen on local ports and forward each connection to a TCP port inside the VM, which the"
                    + " agent connects to (127.0.0.1 in the VM unless a REMOTE_HOST is given), as ssh -L and"
                    + " kubectl port-forward do. Each connection gets its own; many run at once, and the end of"
                    + " either side's stream is passed on. Once listening, prints a line per mapping; runs until"
                    + " Ctrl-C (SIGINT) or SIGTERM, which close every connection.")
            .paragraph("ADDR is the local address, 127.0.0.1 by default (0.0.0.0 or * for every interface; IPv6 in"
                    + " brackets, [::1]). LOCAL_PORT 0, or none (:80), picks a free port. One number alone"
                    + " (8080) is the same port on both sides.")
            .options(List.of(CONNECT))
            .arguments("MAPPING", 1, Integer.MAX_VALUE)
            .section("Examples",
                    "# a web server on port 80 in the VM, as http://127.0.0.1:8080 here",
                    "vsockexec port-forward --connect hybrid:///srv/vm1/v.sock:5000 8080:80",
                    "# two at once; the second on a free port, which its line names",
                    "vsockexec port-forward --connect vsock://3:5000 8080:80 :5432",
                    "# every interface here; a host the VM reaches",
                    "vsockexec port-forward --connect vsock://3:5000 0.0.0.0:8443:db.internal:443")
            .section("Exit status",
                    "0    stopped by Ctrl-C (SIGINT) or SIGTERM",
                    "1    a local address could not be listened on (in use, not permitted);",
                    "     nothing was left listening",
                    "2    wrong command line: a bad mapping (a local address that does not",
                    "     resolve included), no --connect and no $" + AgentEndpoint.ENV,
                    "255  a malformed endpoint, or an agent that cannot be reached in a way",
                    "     retrying cannot cure")
            .build(), PortForwardCommand::run);

    private PortForwardCommand() {}

    private static int run(Args args, Console console) throws Exception {
        List<ForwardSpec> specs = specs(args.arguments());
        String endpoint = AgentEndpoint.text(args.get(CONNECT));
        try (AgentEndpoint agent = AgentEndpoint.resolve(endpoint)) {
            if (!endpoint.equals(AgentEndpoint.LOCAL)) {
                checkReachable(agent.endpoint(), console.err());
            }
            VsockExecClient client = VsockExecClient.of(agent.endpoint(),
                    ClientOptions.defaults().withCallTimeout(OPEN_TIMEOUT));
            try (PortForwarder forwarder = PortForwarder.bind(client, specs, console.err());
                    ExitHook _ = TerminationSignals.onTermination(() -> {
                        forwarder.close();
                        agent.close();
                    })) {
                forwarder.lines().forEach(console.out()::println);
                console.out().flush();
                forwarder.start();
                forwarder.await();
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The mappings the arguments describe.
     *
     * @throws CliException with status 2 naming the first bad one and its bad part
     */
    static List<ForwardSpec> specs(List<String> arguments) {
        List<ForwardSpec> specs = new ArrayList<>();
        for (String text : arguments) {
            try {
                specs.add(ForwardSpec.parse(text));
            } catch (IllegalArgumentException e) {
                throw CliException.badCommandLine(e.getMessage(), COMMAND.spec().fullName());
            }
        }
        return specs;
    }

    /**
     * Tries the agent once before listening, as kubectl reaches its pod first: a malformed or
     * forbidden endpoint fails now; one that does not accept yet (a VM still booting, a socket file
     * not there yet) is a warning, since each connection tries again.
     */
    private static void checkReachable(Endpoint endpoint, PrintStream err) throws Exception {
        if (!Readiness.isReady(endpoint, Deadline.after(CHECK_TIMEOUT))) {
            err.println("vsockexec: warning: nothing accepts connections at " + endpoint + " yet; forwarding"
                    + " anyway, and each connection tries again");
            err.flush();
        }
    }
}
