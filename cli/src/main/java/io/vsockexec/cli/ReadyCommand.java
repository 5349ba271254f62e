package io.vsockexec.cli;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.NotReadyException;
import io.vsockexec.client.Readiness;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code vsockexec ready}: wait until a VM's agent accepts connections. */
@CommandLine.Command(
        name = "ready",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Wait until an agent's readiness endpoint accepts a connection, i.e. a booting "
                + "VM's agent is up. Retries after 10 ms at first, backing off to every 200 ms, until the timeout.",
        footer = {
            "",
            "Examples:",
            "  # Firecracker / Cloud Hypervisor, readiness port 5002",
            "  vsockexec ready --connect hybrid:///srv/vm1/v.sock:5002 --timeout 30s",
            "  # QEMU with -device vhost-vsock-pci,guest-cid=3",
            "  vsockexec ready --connect vsock://3:5002",
            "  # an agent started with --ready unix:///run/a-ready.sock",
            "  vsockexec ready --connect unix:///run/a-ready.sock && echo up",
            "",
            "Exit status:",
            "  0    ready",
            "  1    the timeout passed first (with a message)",
            "  255  a failure waiting cannot cure (bad endpoint, permission denied)",
            "  2    wrong command line",
        })
public final class ReadyCommand implements Callable<Integer> {
    /** Not ready within the timeout. */
    static final int NOT_READY = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connect", paramLabel = "ENDPOINT",
            description = "The readiness endpoint (port 5002 by convention). Default: $" + Target.ENV + ".")
    String connect;

    @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long to wait, e.g. 500ms, 30s, 2m. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        try (Target target = Target.resolve(connect)) {
            Readiness.await(target.endpoint(), Deadline.after(timeout));
            return ExitCodes.OK;
        } catch (NotReadyException e) {
            ExitCodes.print(spec.commandLine().getErr(), e);
            return NOT_READY;
        }
    }
}
