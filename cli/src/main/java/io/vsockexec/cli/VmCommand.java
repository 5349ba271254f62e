package io.vsockexec.cli;

import io.vsockexec.vm.VmConfig;
import io.vsockexec.vm.VmRunner;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vsockexec vm}: a user-mode Linux guest with a real virtio-vsock device, in the foreground
 * ({@link VmRunner}). The options here make the {@link VmConfig}; the words after {@code --} are
 * the options of the agent inside, checked against the agent's own table before anything boots.
 */
final class VmCommand {
    static final Opt<Path> DIR = Opt.value("--dir", "DIR", VmCommand::directory, "Where the VM's sockets (vm.sock,"
            + " vhost.sock) and console.log go; created if missing. Required.").completingFiles();
    static final Opt<Long> CID = Opt.value("--cid", "N", text -> Values.number(text, VmConfig.DEFAULT_CID,
            0xFFFF_FFFEL), "The guest's CID, 3 to 4294967294. Default: " + VmConfig.DEFAULT_CID + ".");
    static final Opt<Long> MEMORY = Opt.value("--memory", "SIZE", text -> Values.bytes(text, VmConfig.MIN_MEMORY,
            Long.MAX_VALUE, "a size of at least 256M, e.g. 512M, 2G"), "The guest's memory, K, M or G (powers of"
            + " 1024), at least 256M. Default: 1G.");

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("vm")
            .summary("Boot a user-mode Linux guest with virtio-vsock and the agent inside")
            .usage("--dir DIR [--cid N] [--memory SIZE] [-- AGENT_OPTION...]")
            .paragraph("Boot a real Linux guest kernel (Debian's user-mode Linux, no KVM needed) with a virtio-vsock"
                    + " device served by vsockexec, the host's root read-only as its root, and the agent inside on"
                    + " guest ports 5000 (exec) and 5002 (readiness). Host clients reach it through the hybrid"
                    + " socket DIR/vm.sock, as they reach a Firecracker VM.")
            .paragraph("Prints one line once the agent inside is ready and stays in the foreground; SIGTERM or"
                    + " Ctrl-C powers the guest off and removes what it created but DIR/console.log. Words after"
                    + " -- are options of the agent inside (see 'vsockexec agent --help'). A development and test"
                    + " vehicle, not a production VMM: see docs/VM.md.")
            .options(List.of(DIR, CID, MEMORY))
            .passThroughAfterDashDash()
            .section("Examples",
                    "vsockexec vm --dir /tmp/vm1 --cid 7 &",
                    "vsockexec ready --connect hybrid:///tmp/vm1/vm.sock:5002 --timeout 3m",
                    "vsockexec exec --connect hybrid:///tmp/vm1/vm.sock:5000 -- uname -r",
                    "",
                    "# the agent inside with options of its own",
                    "vsockexec vm --dir /tmp/vm1 -- --grace 2s --max-sessions 32")
            .section("Exit status",
                    "1 when the guest fails to boot or stops by itself, 2 for a wrong command line, 69 where",
                    "user-mode Linux cannot run (one line says what is missing); on SIGTERM or Ctrl-C, 143 or",
                    "130 once the guest is off.")
            .build(), VmCommand::run);

    private VmCommand() {}

    private static int run(Args args, Console console) {
        return VmRunner.run(config(args), console.out(), console.err());
    }

    /**
     * The VM the command line describes.
     *
     * @throws CliException with status 2 without {@code --dir}, or for agent options the agent refuses
     */
    static VmConfig config(Args args) {
        if (!args.has(DIR)) {
            throw CliException.badCommandLine("vsockexec vm needs --dir DIR", COMMAND.spec().fullName());
        }
        List<String> agentOptions = args.passThrough();
        checkAgentOptions(agentOptions);
        return VmConfig.of(args.get(DIR))
                .withCid(args.get(CID, VmConfig.DEFAULT_CID))
                .withMemory(args.get(MEMORY, VmConfig.DEFAULT_MEMORY))
                .withAgentOptions(agentOptions);
    }

    /** The agent's options are parsed by its own table here, so a typo fails now rather than in the guest. */
    private static void checkAgentOptions(List<String> words) {
        Args agent = ArgParser.parse(AgentCommand.COMMAND.spec(), words.toArray(String[]::new), 0);
        if (agent.has(Opt.HELP)) {
            throw CliException.badCommandLine("--help after -- would go to the agent inside the guest",
                    AgentCommand.COMMAND.spec().fullName());
        }
        AgentCommand.config(agent);
    }

    private static Path directory(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("the VM's directory must not be empty");
        }
        return Path.of(text);
    }
}
