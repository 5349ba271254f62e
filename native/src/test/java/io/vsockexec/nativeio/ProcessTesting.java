package io.vsockexec.nativeio;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.internal.ProcStat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Helpers shared by the process tests. */
final class ProcessTesting {
    /** Generous: these only bound a hang, no test asserts how long anything takes. */
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");
    private static final long SELF = ProcessHandle.current().pid();

    private ProcessTesting() {}

    static Deadline patience() {
        return Deadline.after(PATIENCE);
    }

    /** Reads until end of stream. */
    static byte[] readAll(Descriptor d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        Deadline deadline = patience();
        int n;
        while ((n = d.read(buf, 0, buf.length, deadline)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static String readAllText(Descriptor d) throws IOException {
        return new String(readAll(d), StandardCharsets.UTF_8);
    }

    /** Reads until {@code text} has been seen (terminal output arrives in pieces); returns all read. */
    static String readUntil(Descriptor d, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        Deadline deadline = patience();
        while (!seen.toString().contains(text)) {
            int n = d.read(buf, 0, buf.length, deadline);
            if (n < 0) {
                throw new IOException("end of stream before \"" + text + "\"; got \"" + seen + "\"");
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    static void write(Descriptor d, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        d.write(bytes, 0, bytes.length, patience());
    }

    /** Runs {@code argv} with stdout on a pipe; returns what it printed, after checking it exited 0. */
    static String output(SpawnSpec.Builder builder) throws IOException {
        try (Pipe out = Pipe.fromChild("stdout")) {
            try (ChildProcess child = ChildProcess.spawn(builder.stdout(Stdio.pipe(out)).build())) {
                String text = readAllText(out.parentEnd());
                ExitStatus status = child.waitFor(patience());
                if (!status.equals(ExitStatus.exited(0))) {
                    throw new AssertionError(child + " ended with " + status + ", printed: " + text);
                }
                return text;
            }
        }
    }

    /** Children of this JVM that have exited but were not reaped. */
    static List<Integer> zombieChildren() throws IOException {
        return ProcStat.scan(stats -> stats.filter(s -> s.isZombie() && s.ppid() == SELF).map(ProcStat::pid).toList());
    }

    /** True once {@code pid} is gone or a zombie, i.e. no longer running; polls until the patience runs out. */
    static boolean awaitDead(int pid) throws IOException, InterruptedException {
        Deadline deadline = patience();
        while (!deadline.hasPassed()) {
            try {
                if (ProcStat.of(pid).isZombie()) {
                    return true;
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
