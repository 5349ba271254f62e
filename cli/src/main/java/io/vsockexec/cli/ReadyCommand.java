package io.vsockexec.cli;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.NotReadyException;
import io.vsockexec.client.Readiness;
import java.time.Duration;
import java.util.List;

/** {@code vsockexec ready}: wait until a VM's agent accepts connections. */
final class ReadyCommand {
    /** Not ready within the timeout. */
    static final int NOT_READY = 1;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Opt<String> CONNECT = AgentEndpoint.option("The readiness endpoint (port 5002 by convention).");
    static final Opt<Duration> TIMEOUT = Opt.value("--timeout", "DURATION", Values::positiveDuration,
            "How long to wait, e.g. 500ms, 30s, 2m. Default: 30s.");

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("ready")
            .summary("Wait until a VM's agent accepts connections")
            .paragraph("Wait until an agent's readiness endpoint accepts a connection, i.e. a booting VM's agent"
                    + " is up. Retries after 10 ms at first, backing off to every 200 ms, until the timeout.")
            .options(List.of(CONNECT, TIMEOUT))
            .section("Examples",
                    "# Firecracker / Cloud Hypervisor, readiness port 5002",
                    "vsockexec ready --connect hybrid:///srv/vm1/v.sock:5002 --timeout 30s",
                    "# QEMU with -device vhost-vsock-pci,guest-cid=3",
                    "vsockexec ready --connect vsock://3:5002",
                    "# an agent started with --ready unix:///run/a-ready.sock",
                    "vsockexec ready --connect unix:///run/a-ready.sock && echo up")
            .section("Exit status",
                    "0    ready",
                    "1    the timeout passed first (with a message)",
                    "255  a failure waiting cannot cure (bad endpoint, permission denied)",
                    "2    wrong command line, or --connect local (an agent in this process",
                    "     has no readiness endpoint to wait for)")
            .build(), ReadyCommand::run);

    private ReadyCommand() {}

    private static int run(Args args, Console console) throws Exception {
        String text = AgentEndpoint.text(args.get(CONNECT));
        if (text.equals(AgentEndpoint.LOCAL)) {
            throw CliException.badCommandLine("ready --connect local has nothing to wait for: an agent in this"
                    + " process is ready when it starts; name a readiness endpoint", COMMAND.spec().fullName());
        }
        try {
            Readiness.await(AgentEndpoint.parse(text), Deadline.after(args.get(TIMEOUT, DEFAULT_TIMEOUT)));
            return ExitCodes.OK;
        } catch (NotReadyException e) {
            ExitCodes.print(console.err(), e);
            return NOT_READY;
        }
    }
}
