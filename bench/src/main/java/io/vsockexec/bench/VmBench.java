package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.vm.UmlVm;
import io.vsockexec.vm.VmConfig;
import io.vsockexec.vm.VmUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Informational figures for {@code vsockexec vm}: the exec round trip and the stream throughput
 * through the VM (a host client, the hybrid socket, the Java virtio-vsock back-end, the guest
 * kernel's driver, the agent in the guest), next to the same measured inside that guest over
 * user-mode Linux's loopback transport (CID 1), in the same run. Both sides pay for user-mode
 * Linux (its processes are slow to fork and its system calls are traced); the ratio is the price
 * of the device and of crossing into the guest.
 *
 * <pre>java -cp ... io.vsockexec.bench.VmBench [--execs N] [--stream-mib M]</pre>
 *
 * <p>Inside the guest it runs as {@code VmBench --inside ENDPOINT ...} and prints its two figures.
 */
public final class VmBench {
    /** Row 9's measurement. */
    static final String MEASUREMENT = "through vsockexec vm (virtio-vsock, user-mode Linux)";
    /** Row 9 has no target: the figures are for reading. */
    static final String TARGET_TEXT = "informational";
    /** Row 9's exec round trips, each way. */
    static final int EXECS = 200;
    /** Row 9's stream, in MiB, each way. */
    static final int STREAM_MIB = 64;
    /** One measurement: exec round-trip percentiles (ns) and stream throughput (bytes per second). */
    record Measured(long execP50, long execP99, double streamBytesPerSecond) {
        String line() {
            return "figures " + execP50 + " " + execP99 + " " + (long) streamBytesPerSecond;
        }

        static Measured parse(String text) {
            for (String l : text.lines().toList()) {
                if (l.startsWith("figures ")) {
                    String[] f = l.split(" ");
                    return new Measured(Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]));
                }
            }
            throw new IllegalArgumentException("no figures in: " + text);
        }
    }

    private VmBench() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int execs = intOption(a, "--execs", 200);
        int streamMib = intOption(a, "--stream-mib", 64);
        int inside = a.indexOf("--inside");
        if (inside >= 0) {
            System.out.println(measure(Endpoint.parse(a.get(inside + 1)), execs, streamMib).line());
            return;
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir")), "vmbench-");
        try (UmlVm vm = UmlVm.start(VmConfig.of(dir))) {
            long boot = System.nanoTime();
            vm.awaitReady();
            System.err.println("vm-bench: the guest's agent was ready " + Figures.duration(System.nanoTime() - boot)
                    + " after the kernel started");
            Measured device = measure(vm.execEndpoint(), execs, streamMib);
            Measured loopback = insideGuest(vm, execs, streamMib);
            System.out.print(table(device, loopback, execs, streamMib));
        } finally {
            deleteQuietly(dir); // the VM leaves its console log; the directory is the benchmark's own
        }
    }

    /**
     * The measurement as one informational row of {@code vsockexec bench}: boots a guest, measures
     * through the VM and inside it, and reports the VM's figures against the loopback baseline.
     * Where user-mode Linux cannot run, the row says so and why, with no verdict against the run.
     *
     * @param number the row's number in the table
     */
    public static Row row(int number, int execs, int streamMib) {
        String measurement = MEASUREMENT + ": exec `true` p50, " + streamMib + " MiB stream";
        Path dir = null;
        try {
            dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir")), "vmbench-");
            try (UmlVm vm = UmlVm.start(VmConfig.of(dir))) {
                vm.awaitReady();
                Measured device = measure(vm.execEndpoint(), execs, streamMib);
                Measured loopback = insideGuest(vm, execs, streamMib);
                return new Row(number, measurement,
                        Figures.duration(device.execP50()) + ", " + Figures.throughput(device.streamBytesPerSecond()),
                        "guest loopback: " + Figures.duration(loopback.execP50()) + ", "
                                + Figures.throughput(loopback.streamBytesPerSecond()),
                        Figures.ratio((double) device.execP50() / loopback.execP50()) + ", "
                                + Figures.ratio(device.streamBytesPerSecond() / loopback.streamBytesPerSecond()),
                        TARGET_TEXT, Verdict.REPORTED);
            }
        } catch (VmUnavailableException e) {
            return skipped(number, measurement, e);
        } catch (IOException | RuntimeException e) {
            return Row.failed(number, measurement, TARGET_TEXT, String.valueOf(e.getMessage()));
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The row where user-mode Linux cannot run here: skipped, saying why; it fails nothing. */
    static Row skipped(int number, String measurement, VmUnavailableException why) {
        return new Row(number, measurement, "skipped: user-mode Linux cannot run here: " + why.getMessage(), Row.NONE,
                Row.NONE, TARGET_TEXT, Verdict.REPORTED);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("console.log"));
            Files.deleteIfExists(dir);
        } catch (IOException leftBehind) {
            // a directory under the working directory; nothing depends on its removal
        }
    }

    /** The same measurement run inside the guest against its own agent over the loopback transport. */
    private static Measured insideGuest(UmlVm vm, int execs, int streamMib) throws IOException {
        VmConfig c = vm.config();
        Command inside = Command.argv(c.java().toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", c.classPath(), VmBench.class.getName(),
                "--inside", "vsock://1:5000", "--execs", String.valueOf(execs), "--stream-mib", String.valueOf(streamMib))
                .withTimeout(Duration.ofMinutes(10));
        ExecResult r = VsockExecClient.of(vm.execEndpoint()).exec(inside);
        if (r.exitCode() != 0) {
            throw new IOException("the measurement inside the guest failed: " + r.stderrText());
        }
        return Measured.parse(r.stdoutText());
    }

    /** Exec round trips of {@code true} (after a warm-up), then a stream of {@code streamMib} MiB of zeros. */
    static Measured measure(Endpoint endpoint, int execs, int streamMib) throws IOException {
        VsockExecClient client = VsockExecClient.of(endpoint);
        Command trueCommand = Command.argv("true").withTimeout(Duration.ofMinutes(1));
        for (int i = 0; i < Math.min(20, execs); i++) {
            client.exec(trueCommand);
        }
        long[] samples = new long[execs];
        for (int i = 0; i < execs; i++) {
            long t = System.nanoTime();
            client.exec(trueCommand);
            samples[i] = System.nanoTime() - t;
        }
        long bytes = (long) streamMib << 20;
        long[] counted = new long[1];
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                counted[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                counted[0] += len;
            }
        };
        long t = System.nanoTime();
        ExecStatus s = client.stream(Command.shell("head -c " + bytes + " /dev/zero").withTimeout(Duration.ofMinutes(5)),
                counter, OutputStream.nullOutputStream());
        long elapsed = System.nanoTime() - t;
        if (s.exitCode() != 0 || counted[0] != bytes) {
            throw new IOException("the stream ended with status " + s.exitCode() + " after " + counted[0] + " bytes");
        }
        return new Measured(Figures.median(samples), Figures.percentile(samples, 99),
                bytes * 1e9 / elapsed);
    }

    private static String table(Measured device, Measured loopback, int execs, int streamMib) {
        StringBuilder b = new StringBuilder();
        b.append("| measurement | through the VM (host -> virtio-vsock -> guest) | inside the guest (loopback, CID 1) | ratio |\n");
        b.append("|---|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| exec round trip, argv `true` (n=%d) | p50 %s, p99 %s | p50 %s, p99 %s | p50 %s |%n",
                execs, Figures.duration(device.execP50()),
                Figures.duration(device.execP99()),
                Figures.duration(loopback.execP50()),
                Figures.duration(loopback.execP99()),
                Figures.ratio((double) device.execP50() / loopback.execP50())));
        b.append(String.format(Locale.ROOT, "| stream throughput, %d MiB of zeros | %s | %s | %s |%n", streamMib,
                Figures.throughput(device.streamBytesPerSecond()),
                Figures.throughput(loopback.streamBytesPerSecond()),
                Figures.ratio(device.streamBytesPerSecond() / loopback.streamBytesPerSecond())));
        return b.toString();
    }

    private static int intOption(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
    }
}
