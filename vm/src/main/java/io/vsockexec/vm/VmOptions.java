package io.vsockexec.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code vsockexec vm}: {@code --dir DIR [--cid N] [--memory SIZE] [-- AGENT_OPTION...]}.
 *
 * @param dir where the VM's sockets and console log go (required)
 * @param cid the guest's CID ({@link VmConfig#DEFAULT_CID} unless given)
 * @param memoryBytes the guest's memory ({@link VmConfig#DEFAULT_MEMORY} unless given)
 * @param agentOptions everything after {@code --}, passed to the agent inside the guest
 */
public record VmOptions(Path dir, long cid, long memoryBytes, List<String> agentOptions) {
    /** The usage line. */
    public static final String USAGE = "usage: vsockexec vm --dir DIR [--cid N] [--memory SIZE] [-- AGENT_OPTION...]";

    public VmOptions {
        agentOptions = List.copyOf(agentOptions);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    public static VmOptions parse(List<String> args) {
        Path dir = null;
        long cid = VmConfig.DEFAULT_CID;
        long memory = VmConfig.DEFAULT_MEMORY;
        List<String> agent = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                agent.addAll(args.subList(i + 1, args.size()));
                break;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            switch (name) {
                case "--dir" -> dir = Path.of(value);
                case "--cid" -> cid = number("--cid", value);
                case "--memory" -> memory = size(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        return new VmOptions(dir, cid, memory, agent);
    }

    /** The VM's configuration: these options over the defaults of {@link VmConfig#of}. */
    public VmConfig config() {
        return VmConfig.of(dir).withCid(cid).withMemory(memoryBytes).withAgentOptions(agentOptions);
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, is \"" + value + "\"");
        }
    }

    /** {@code 512M}, {@code 2G}, {@code 1048576}: K, M and G are powers of 1024. */
    static long size(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--memory must be a size such as 512M or 2G, is \"" + value + "\"");
        }
    }
}
