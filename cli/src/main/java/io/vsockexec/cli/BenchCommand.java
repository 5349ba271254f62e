package io.vsockexec.cli;

import io.vsockexec.bench.BenchSizes;
import io.vsockexec.bench.BenchTransport;
import io.vsockexec.bench.Benchmark;
import io.vsockexec.bench.JavaCommand;
import io.vsockexec.bench.ResultTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vsockexec bench}: the benchmark with targets; prints one markdown table. */
final class BenchCommand {
    static final Opt<BenchTransport> TRANSPORT = Opt.value("--transport", "unix|hybrid|tcp", BenchTransport::parse,
            "The transport of every agent, client and baseline. Default: unix.").completing(List.of("unix", "hybrid",
            "tcp"));
    static final Opt<Boolean> QUICK = Opt.flag("--quick", "Smaller streams and fewer cold starts, and no VM row: about a"
            + " minute.");

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("bench")
            .summary("Measure vsockexec against baselines measured in the same run")
            .paragraph("Measure what the exec channel adds: exec latency, stream and stdin throughput, concurrent"
                    + " sessions, agent start-up and memory, codec cost, the command line's own start. Each figure"
                    + " is set against a baseline measured in the same run, or against an absolute bound. The full"
                    + " run adds an informational row through a user-mode Linux guest (vsockexec vm), skipped with a"
                    + " note where user-mode Linux cannot run.")
            .paragraph("Starts its own agents and command lines, as the launcher starts them. Prints one markdown"
                    + " table to stdout (progress to stderr); exits 0 when every target holds, 1 otherwise.")
            .options(List.of(TRANSPORT, QUICK))
            .section("Examples",
                    "vsockexec bench --quick                 # within a minute or two",
                    "vsockexec bench                         # the full run of the performance table",
                    "vsockexec bench --transport hybrid      # through Firecracker-style hybrid vsock (emulated)")
            .build(), BenchCommand::run);

    private BenchCommand() {}

    private static int run(Args args, Console console) throws Exception {
        PrintStream err = console.err();
        List<String> cli = cliCommand(System.getenv(), err);
        List<String> agent = new ArrayList<>(cli);
        agent.add("agent");
        BenchSizes sizes = args.has(QUICK) ? BenchSizes.quick() : BenchSizes.full();
        ResultTable table = Benchmark.run(new Benchmark.Config(args.get(TRANSPORT, BenchTransport.UNIX), sizes,
                agent, cli, line -> {
                    err.println(line);
                    err.flush();
                }));
        console.out().print(table.markdown());
        console.out().flush();
        return table.allTargetsHold() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /**
     * How users run {@code vsockexec}: the launcher that started this command (it says so in
     * {@code VSOCKEXEC_LAUNCHER}); without it, this JVM's java and class path, with a warning
     * that the launcher's settings are then missing.
     */
    static List<String> cliCommand(Map<String, String> env, PrintStream err) {
        String launcher = env.get("VSOCKEXEC_LAUNCHER");
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher);
        }
        err.println("vsockexec: bench: not started by a vsockexec launcher; agents and command lines run with plain"
                + " JVM settings, not the launcher's (rows 5, 6 and 8 measure those)");
        err.flush();
        return JavaCommand.of(Main.class.getName());
    }
}
