package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.List;

/** The commands of {@code vsockexec}, in the order help lists them; a command's class loads only when it is named. */
final class Commands {
    /** Every command's name. */
    static final List<String> NAMES = List.of("exec", "cp", "port-forward", "agent", "ready", "cid", "vm", "bench",
            "completion", "help");

    private Commands() {}

    /** The command named {@code name}, or null if there is none. */
    static Subcommand named(String name) {
        return switch (name) {
            case "exec" -> ExecCommand.COMMAND;
            case "port-forward" -> PortForwardCommand.COMMAND;
            case "cp" -> CpCommand.COMMAND;
            case "agent" -> AgentCommand.COMMAND;
            case "ready" -> ReadyCommand.COMMAND;
            case "cid" -> CidCommand.COMMAND;
            case "vm" -> VmCommand.COMMAND;
            case "bench" -> BenchCommand.COMMAND;
            case "completion" -> CompletionCommand.COMMAND;
            case "help" -> HelpCommand.COMMAND;
            default -> null;
        };
    }

    /** Every command's spec, in order. */
    static List<CommandSpec> specs() {
        List<CommandSpec> specs = new ArrayList<>();
        for (String name : NAMES) {
            specs.add(named(name).spec());
        }
        return specs;
    }

    /**
     * The command {@code word} most likely meant: one that begins with it, or one within two
     * letters' edits of it; null if none is close.
     */
    static String closest(String word) {
        String best = null;
        int bestDistance = 3;
        for (String name : NAMES) {
            int d = name.startsWith(word) && !word.isEmpty() ? 0 : distance(word, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The Levenshtein distance: single-letter insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
