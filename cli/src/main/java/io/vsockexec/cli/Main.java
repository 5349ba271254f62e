package io.vsockexec.cli;

import io.vsockexec.base.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vsockexec}: run commands inside micro-VMs over vsock. The process's entry point: reads
 * the program's own options, picks the command, parses the rest by the command's table and runs it.
 */
public final class Main {
    private static final Opt<Boolean> VERSION = Opt.flag("--version", "Print the version and exit.");
    private static final CommandSpec PROGRAM = CommandSpec.command("")
            .summary("Run commands inside micro-VMs over vsock: docker exec, but into a VM.")
            .usage("[OPTIONS] COMMAND [ARG...]")
            .options(List.of(VERSION))
            .arguments("COMMAND", 0, Integer.MAX_VALUE)
            .optionsEndAtFirstArgument()
            .section("Endpoints",
                    "vsock://CID:PORT               AF_VSOCK (QEMU vhost-vsock, or from inside a guest)",
                    "hybrid:///path/vm.sock:PORT    Firecracker / Cloud Hypervisor host socket",
                    "unix:///path                   Unix socket",
                    "tcp://HOST:PORT                TCP, for development",
                    "local                          (exec) an agent inside this process, no VM")
            .build();

    private Main() {}

    /**
     * Runs the command line and exits with its status. A success returns from {@code main}, as the
     * JVM's own floor does: {@code System.exit} first looks up a logger for {@code Runtime.exit}
     * (JDK 17 and later), which loads java.util.logging and opens every jar on the class path to
     * look for a logging service, some 15 ms of every run. Every thread vsockexec starts is a
     * daemon, so nothing keeps the JVM from ending once {@code main} returns.
     */
    public static void main(String[] args) {
        JdkStartup.apply();
        int status = run(Console.system(), args);
        if (status != ExitCodes.OK) {
            System.exit(status);
        }
    }

    /** Runs the command line on this process's stdout and stderr and returns the exit status. */
    public static int run(String... args) {
        return run(Console.system(), args);
    }

    /** Runs the command line, printing to {@code console}, and returns the exit status. */
    static int run(Console console, String... words) {
        try {
            return dispatch(console, words);
        } catch (CliException e) {
            return ExitCodes.report(console.err(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ExitCodes.print(console.err(), e);
            return ExitCodes.LOCAL_FAILURE;
        } catch (Exception e) {
            ExitCodes.print(console.err(), e);
            return ExitCodes.LOCAL_FAILURE;
        }
    }

    private static int dispatch(Console console, String[] words) throws Exception {
        Args program = parse(PROGRAM, words);
        if (program.has(VERSION)) {
            console.out().println(version());
            return ExitCodes.OK;
        }
        if (program.has(Opt.HELP) || program.arguments().isEmpty()) {
            console.out().print(help());
            return ExitCodes.OK;
        }
        List<String> rest = program.arguments();
        Subcommand command = command(rest.getFirst());
        CommandSpec spec = command.spec();
        Args args = parse(spec, rest.subList(1, rest.size()).toArray(String[]::new));
        if (args.has(Opt.HELP)) {
            console.out().print(Help.of(spec));
            return ExitCodes.OK;
        }
        return command.run(args, console);
    }

    /** Parses {@code words} by {@code spec}; {@code -v} turns debug lines on at once. */
    private static Args parse(CommandSpec spec, String[] words) {
        Args args = ArgParser.parse(spec, words, 0);
        if (args.has(Opt.VERBOSE)) {
            Log.enableDebug(true);
        }
        return args;
    }

    /** The program's own table: its options, usage and closing sections, for the manual page. */
    static CommandSpec program() {
        return PROGRAM;
    }

    /** The command named {@code name}. */
    static Subcommand command(String name) {
        Subcommand command = Commands.named(name);
        if (command == null) {
            String close = Commands.closest(name);
            throw CliException.badCommandLine("unknown command \"" + name + "\""
                    + (close == null ? "" : " (did you mean \"" + close + "\"?)")
                    + "\nCommands: " + String.join(", ", Commands.NAMES), PROGRAM.fullName());
        }
        return command;
    }

    /** The program's own help: its commands, options and endpoint forms. */
    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("Usage:  vsockexec ").append(PROGRAM.usage()).append("\n\n").append(PROGRAM.summary()).append("\n\n");
        b.append("Commands:\n");
        List<String[]> rows = new ArrayList<>();
        for (CommandSpec spec : Commands.specs()) {
            rows.add(new String[] {spec.name(), spec.summary()});
        }
        Help.table(b, rows);
        b.append("\nOptions:\n");
        Help.table(b, Help.optionRows(PROGRAM.options()));
        Help.sections(b, PROGRAM.sections());
        b.append("\nRun 'vsockexec COMMAND --help' for a command's options and examples.\n");
        return b.toString();
    }

    /** {@code vsockexec 0.1.0 (Java 25.0.1+8)}: the version from the jar's manifest, or "development" from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "vsockexec " + (v == null ? "development" : v) + " (Java " + Runtime.version() + ")";
    }
}
