package io.vsockexec.cli;

/**
 * The process's entry point, which the launcher and the jar's manifest name. It mentions no
 * picocli type: while the JVM looks for {@code main} it resolves every type in the signatures of
 * the main class, and {@link Main}'s would load picocli, which an agent start does without.
 */
public final class Entry {
    private Entry() {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // The agent starts on every VM boot: a well-formed agent command line skips picocli.
        AgentFastStart.Parsed agent = AgentFastStart.parse(args);
        System.exit(agent != null ? AgentFastStart.run(agent, args) : Main.run(args));
    }
}
