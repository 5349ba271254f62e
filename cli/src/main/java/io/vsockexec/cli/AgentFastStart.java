package io.vsockexec.cli;

import io.vsockexec.agent.AgentConfig;
import io.vsockexec.transport.InsecureEndpointException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Starts {@code vsockexec agent} without picocli. The agent's start-up is on the critical path of
 * every VM boot, and picocli's is much of it: its classes are Java 5 bytecode, which the AOT
 * cache cannot hold (so each is read, verified and linked at run time), and it reads the
 * command's annotations through reflection and dynamic proxies.
 *
 * <p>Only a well-formed command line is handled here: {@code agent} first, then the options of
 * {@link AgentCommand} as {@code --name value} or {@code --name=value}, each at most once
 * (except the repeatable endpoints), and {@code -v}. Anything else, {@code --help}, an unknown or
 * repeated option, a value that does not parse, a configuration the agent rejects, is left to
 * picocli ({@link #parse} returns null), which reports it exactly as it always does. The options
 * and their defaults are {@link AgentCommand}'s own fields, so both paths configure the same agent.
 */
final class AgentFastStart {
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Set<String> SINGLE = Set.of("--grace", "--max-sessions", "--max-frame", "--drain-timeout",
            "--request-timeout", "--no-ready", "--allow-insecure-tcp", "--subreaper", "-v");

    private AgentFastStart() {}

    /**
     * The agent command {@code args} describe, or null when picocli must handle them.
     *
     * @param args the whole command line, {@code agent} first
     */
    static Parsed parse(String[] args) {
        if (args.length == 0 || !args[0].equals("agent")) {
            return null;
        }
        AgentCommand command = new AgentCommand();
        boolean verbose = false;
        List<String> seen = new ArrayList<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (name.equals("--verbose")) {
                    name = "-v";
                }
                if (SINGLE.contains(name) && seen.contains(name)) {
                    return null; // picocli: "option should be specified only once"
                }
                seen.add(name);
                switch (name) {
                    case "--no-ready", "--allow-insecure-tcp", "--subreaper", "-v" -> {
                        if (value != null) {
                            return null;
                        }
                        switch (name) {
                            case "--no-ready" -> command.noReady = true;
                            case "--allow-insecure-tcp" -> command.allowInsecureTcp = true;
                            case "--subreaper" -> command.subreaper = true;
                            default -> verbose = true;
                        }
                    }
                    case "--listen", "--ready", "--grace", "--max-sessions", "--max-frame", "--drain-timeout",
                            "--request-timeout" -> {
                        if (value == null) {
                            if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                                return null;
                            }
                            value = args[++i];
                        }
                        if (!apply(command, name, value)) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Parsed(command.buildConfig(), verbose);
        } catch (RuntimeException badValue) {
            return null;
        }
    }

    private static boolean apply(AgentCommand command, String name, String value) {
        switch (name) {
            case "--listen" -> command.listen.add(value);
            case "--ready" -> command.ready.add(value);
            case "--grace" -> command.grace = DurationConverter.parse(value);
            case "--drain-timeout" -> command.drainTimeout = DurationConverter.parse(value);
            case "--request-timeout" -> command.requestTimeout = DurationConverter.parse(value);
            case "--max-frame" -> command.maxFrame = ByteSizeConverter.parse(value);
            default -> {
                if (!COUNT.matcher(value).matches()) {
                    return false;
                }
                command.maxSessions = Integer.parseInt(value);
            }
        }
        return true;
    }

    /**
     * Runs the agent {@code parsed} describes, as {@link AgentCommand#call()} would.
     *
     * @param args the command line, for picocli when it must report a problem after all
     * @return the exit status
     */
    static int run(Parsed parsed, String[] args) {
        if (parsed.verbose()) {
            Main.enableVerbose();
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return AgentCommand.serve(parsed.config(), out);
        } catch (InsecureEndpointException e) {
            return Main.run(args); // nothing is bound: picocli words the usage error as always
        } catch (CliException e) {
            ExitCodes.print(err, e);
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILURE;
        } catch (RuntimeException e) {
            ExitCodes.print(err, e);
            return ExitCodes.LOCAL_FAILURE;
        }
    }

    /** A parsed agent command line: the configuration and whether {@code -v} was given. */
    record Parsed(AgentConfig config, boolean verbose) {}
}
