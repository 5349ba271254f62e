package io.vsockexec.bench;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.nativeio.ChildProcess;
import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.ExitOrReadable;
import io.vsockexec.nativeio.ExitStatus;
import io.vsockexec.nativeio.Pipe;
import io.vsockexec.nativeio.Programs;
import io.vsockexec.nativeio.SpawnSpec;
import io.vsockexec.nativeio.Stdio;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 1: the round trip of a buffered exec of {@code true}, against the agent's own way of
 * spawning and waiting for it in this process. Samples of both alternate, one each, so that
 * both see the same machine: a burst of load elsewhere lands on both.
 */
final class ExecLatency {
    /**
     * {@code true} with an argument it ignores: on the wire a request without {@code args} runs
     * through {@code /bin/sh -c}, and this row measures the exec without a shell.
     */
    static final List<String> ARGV = List.of("true", "--");
    static final double TARGET = 1.25;
    /** The target as the table shows it; over another transport, the row adds that it only informs. */
    static final String TARGET_TEXT = "p50 ratio <= " + TARGET;
    static final String MEASUREMENT = "exec round trip: argv `true --`, buffered, no shell, sequential";

    private ExecLatency() {}

    static Row measure(VsockExecClient client, BenchSizes sizes, BenchTransport transport) throws IOException {
        Baseline baseline = new Baseline();
        Command command = Command.argv(ARGV);
        for (int i = 0; i < sizes.warmupExecs(); i++) {
            baseline.spawnAndWait();
            exec(client, command);
        }
        long[] base = new long[sizes.execs()];
        long[] agent = new long[sizes.execs()];
        for (int i = 0; i < sizes.execs(); i++) {
            base[i] = baseline.spawnAndWait();
            agent[i] = exec(client, command);
        }
        long baseP50 = Figures.median(base);
        long agentP50 = Figures.median(agent);
        long baseP99 = Figures.percentile(base, 99);
        long agentP99 = Figures.percentile(agent, 99);
        double ratio = (double) agentP50 / baseP50;
        String figure = "p50 " + Figures.duration(agentP50) + ", p99 " + Figures.duration(agentP99) + " (n="
                + sizes.execs() + ")";
        String baselineText = "in-process spawn+wait of " + baseline.command() + ": p50 " + Figures.duration(baseP50)
                + ", p99 " + Figures.duration(baseP99);
        String ratioText = "p50 " + Figures.ratio(ratio) + ", p99 " + Figures.ratio((double) agentP99 / baseP99);
        // The target is set over Unix sockets; another transport's figures are for information.
        boolean applies = transport == BenchTransport.UNIX;
        String target = TARGET_TEXT + (applies ? "" : " (over unix; informational here)");
        Verdict verdict = applies ? Verdict.atMost(ratio, TARGET) : Verdict.REPORTED;
        return new Row(1, MEASUREMENT, figure, baselineText, ratioText, target, verdict);
    }

    private static long exec(VsockExecClient client, Command command) throws IOException {
        long start = System.nanoTime();
        ExecResult r = client.exec(command);
        long nanos = System.nanoTime() - start;
        if (r.exitCode() != 0) {
            throw new IOException("exec " + command.display() + " exited " + r.exitCode() + ": " + r.stderrText());
        }
        return nanos;
    }

    /**
     * The baseline: what the agent's buffered mode does around a process, without the protocol:
     * pipes for stdout and stderr, {@code ChildProcess.spawn} of the resolved program in a new
     * process group with the agent's environment, a wait for the exit and both outputs' end on
     * the calling thread ({@code awaitExitOrReadable}, as the agent's session thread waits), close.
     */
    static final class Baseline {
        private final List<String> argv;
        private final Map<String, String> environment = System.getenv();
        private final byte[] scratch = new byte[4096];

        Baseline() throws IOException {
            this.argv = resolve(ARGV);
        }

        /** {@code argv} with its program resolved on this process's {@code PATH}, as the agent resolves it. */
        static List<String> resolve(List<String> argv) throws IOException {
            List<String> resolved = new ArrayList<>(argv);
            resolved.set(0, Programs.resolve(argv.getFirst(), System.getenv("PATH"), null));
            return List.copyOf(resolved);
        }

        /** The program and argument spawned, e.g. {@code /usr/bin/true --}. */
        String command() {
            return String.join(" ", argv);
        }

        /** One spawn and wait; its duration in nanoseconds. */
        long spawnAndWait() throws IOException {
            long start = System.nanoTime();
            Pipe out = Pipe.fromChild("baseline stdout");
            Pipe err = Pipe.fromChild("baseline stderr");
            try {
                SpawnSpec spec = SpawnSpec.builder(argv).environment(environment)
                        .stdout(Stdio.pipe(out)).stderr(Stdio.pipe(err)).build();
                try (ChildProcess child = ChildProcess.spawn(spec)) {
                    ExitStatus status = collect(child, out.parentEnd(), err.parentEnd());
                    long nanos = System.nanoTime() - start;
                    if (status.shellCode() != 0) {
                        throw new IOException(argv + " exited " + status.shellCode());
                    }
                    return nanos;
                }
            } finally {
                out.close();
                err.close();
            }
        }

        /**
         * As the agent's session thread: waits for the exit while reading (and dropping) both
         * outputs, an output at its end no longer waited on, then reads them to their end.
         */
        private ExitStatus collect(ChildProcess child, Descriptor out, Descriptor err) throws IOException {
            List<Descriptor> open = new ArrayList<>(List.of(out, err));
            ExitOrReadable ready;
            do {
                ready = child.awaitExitOrReadable(Deadline.none(), open.toArray(Descriptor[]::new));
                for (int i = open.size() - 1; i >= 0; i--) {
                    if (ready.readable(i) && open.get(i).readAvailable(scratch, 0, scratch.length) < 0) {
                        open.remove(i);
                    }
                }
            } while (!ready.exited());
            for (Descriptor d : open) {
                while (d.read(scratch, 0, scratch.length, Deadline.none()) >= 0) {
                    // dropped
                }
            }
            return child.exitStatus().orElseThrow();
        }
    }
}
