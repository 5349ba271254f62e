package io.vsockexec.cli;

import java.util.List;

/**
 * What {@code vsockexec cp} was asked: the sources, the destination, and which side is the VM's
 * (a path with a leading colon), checked as docker cp checks it.
 *
 * @param toVm true: the destination is in the VM and the sources here
 * @param stdio true: {@code -} stands for a tar stream on standard input (source) or output (destination)
 */
record CopyPlan(List<String> sources, String dest, boolean toVm, boolean stdio) {
    /**
     * The plan for {@code sources} and {@code dest}.
     *
     * @throws CliException for paths on one side only, a relative path in the VM, {@code -} with others
     */
    static CopyPlan of(List<String> sources, String dest, String command) throws CliException {
        boolean destRemote = isRemote(dest);
        long remoteSources = sources.stream().filter(CopyPlan::isRemote).count();
        if (destRemote == (remoteSources > 0) || (remoteSources > 0 && remoteSources < sources.size())) {
            throw CliException.badCommandLine("one side of a copy must be in the VM (:/path) and the other here",
                    command);
        }
        for (String p : destRemote ? List.of(dest) : sources) {
            if (!p.startsWith(":/")) {
                throw CliException.badCommandLine("a path in the VM must be absolute: " + p, command);
            }
        }
        boolean stdio = sources.contains("-") || dest.equals("-");
        if (stdio && sources.size() > 1) {
            throw CliException.badCommandLine("- (a tar stream) copies one source: several given", command);
        }
        return new CopyPlan(List.copyOf(sources), dest, destRemote, stdio);
    }

    private static boolean isRemote(String path) {
        return path.startsWith(":");
    }

    /** The VM's path in {@code word}, without its colon. */
    String remote(String word) {
        return word.substring(1);
    }
}
