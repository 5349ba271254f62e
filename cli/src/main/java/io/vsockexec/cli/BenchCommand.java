package io.vsockexec.cli;

import io.vsockexec.bench.BenchSizes;
import io.vsockexec.bench.BenchTransport;
import io.vsockexec.bench.Benchmark;
import io.vsockexec.bench.ResultTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vsockexec bench}: the benchmark with targets; prints one markdown table. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Measure what the exec channel adds: exec latency, stream and stdin throughput, concurrent sessions,"
                    + " agent start-up and memory, codec cost. Each figure is set against a baseline measured in the"
                    + " same run, or against an absolute bound.",
            "Starts its own agents, as the launcher starts them. Prints one markdown table to stdout (progress"
                    + " to stderr); exits 0 when every target holds, 1 otherwise."
        },
        footer = {
            "",
            "Examples:",
            "  vsockexec bench --quick                 # within a minute",
            "  vsockexec bench                         # the full run of the README's table",
            "  vsockexec bench --transport hybrid      # through Firecracker-style hybrid vsock (emulated)"
        })
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--transport", paramLabel = "unix|hybrid|tcp", converter = TransportConverter.class,
            description = "The transport of every agent, client and baseline. Default: unix.")
    BenchTransport transport = BenchTransport.UNIX;

    @Option(names = "--quick", description = "Smaller streams and fewer cold starts: about half a minute.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<String> agent = agentCommand(System.getenv(), err);
        BenchSizes sizes = quick ? BenchSizes.quick() : BenchSizes.full();
        ResultTable table = Benchmark.run(new Benchmark.Config(transport, sizes, agent, line -> {
            err.println(line);
            err.flush();
        }));
        PrintWriter out = spec.commandLine().getOut();
        out.print(table.markdown());
        out.flush();
        return table.allTargetsHold() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /**
     * How users start the agent: the launcher that started this command (it says so in
     * {@code VSOCKEXEC_LAUNCHER}); without it, this JVM's java and class path, with a warning
     * that the launcher's agent settings are then missing.
     */
    static List<String> agentCommand(Map<String, String> env, PrintWriter err) {
        String launcher = env.get("VSOCKEXEC_LAUNCHER");
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher, "agent");
        }
        err.println("vsockexec: bench: not started by the ./vsockexec launcher; agents run with plain JVM settings,"
                + " not the launcher's (rows 5 and 6 measure those)");
        err.flush();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Entry.class.getName());
        command.add("agent");
        return command;
    }

    /** {@code unix}, {@code hybrid} or {@code tcp}. */
    static final class TransportConverter implements CommandLine.ITypeConverter<BenchTransport> {
        @Override
        public BenchTransport convert(String text) {
            try {
                return BenchTransport.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
