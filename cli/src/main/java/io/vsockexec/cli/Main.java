package io.vsockexec.cli;

import io.vsockexec.base.Log;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code vsockexec} command: run commands inside micro-VMs over vsock. */
@Command(
        name = "vsockexec",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Run commands inside micro-VMs over vsock: docker exec, but into a VM.",
        subcommands = {ExecCommand.class, AgentCommand.class, ReadyCommand.class, CidCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
        footer = {
            "",
            "Endpoints:",
            "  vsock://CID:PORT               AF_VSOCK (QEMU vhost-vsock, or from inside a guest)",
            "  hybrid:///path/vm.sock:PORT    Firecracker / Cloud Hypervisor host socket",
            "  unix:///path                   Unix socket",
            "  tcp://HOST:PORT                TCP, for development",
            "  local                          (exec, ready) an agent inside this process, no VM",
            "Run 'vsockexec COMMAND --help' for a command's options and examples."
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logging to stderr, and stack traces with errors.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            enableDebugLogging();
        }
    }

    private static volatile boolean verbose;

    /** Runs the command line and exits with its status; the same as {@link Entry#main}. */
    public static void main(String[] args) {
        Entry.main(args);
    }

    /** Runs the command line and returns the exit status, without exiting the JVM. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: subcommands, error handling and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ExitCodes.ExceptionHandler());
        cl.setParameterExceptionHandler(new ExitCodes.UsageErrorHandler());
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        // As docker exec: options end at the command, so `exec --connect X ls -l` needs no `--`.
        cl.getSubcommands().get("exec").setStopAtPositional(true);
        return cl;
    }

    /** What {@code -v} does: debug logging, and stack traces with errors. */
    static void enableVerbose() {
        verbose = true;
        enableDebugLogging();
    }

    /** True when {@code -v} was given. */
    static boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static void enableDebugLogging() {
        Log.enableDebug(true);
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vsockexec " + (v == null ? "development" : v)
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
