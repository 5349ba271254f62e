package io.vsockexec.bench;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.ExecStatus;
import io.vsockexec.client.PipeExecution;
import io.vsockexec.client.RemoteExecException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a hostile or careless crowd does to an agent at once, while legitimate requests keep
 * coming: junk connections, idle connections, headers that claim the largest payload and send
 * nothing more, concurrent buffered execs of large output, piped sessions that hang up at random
 * moments, and a command that escapes into a session of its own. Every legitimate request must
 * be answered correctly; the result has the agent's peak memory ({@code VmHWM}) and what went
 * wrong. One class for every place that runs it: the end-to-end tests, the run inside user-mode
 * Linux with the agent in a 128 MiB memory cgroup, and row 10 of the benchmark.
 *
 * <pre>{@code
 * AbuseMix.Result r = AbuseMix.run(endpoint, agentPid, AbuseMix.Sizes.full(), System.err::println);
 * }</pre>
 */
public final class AbuseMix {
    /** Generous: what the slowest part may take on a loaded machine before it counts as a failure. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** Between two legitimate probes while the mix runs. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    /** The escapee's command line, to find it afterwards. */
    private static final String ESCAPEE_MARK = "1000.123";

    /**
     * How much of each part the mix does; 0 leaves a part out.
     *
     * @param junk connections that send random bytes and hang up
     * @param idle connections that send nothing, held open while the mix runs
     * @param oversized connections that send a header claiming a 16 MiB request and nothing more
     * @param buffered concurrent buffered execs, each printing {@code bufferedBytes}
     * @param bufferedBytes each buffered exec's output
     * @param piped piped sessions of {@code cat}, some ending normally, some hung up on at a random moment
     * @param pipedAtOnce how many piped sessions run at a time
     * @param escapee whether one session leaves behind a process in a session of its own, then hangs up
     */
    public record Sizes(int junk, int idle, int oversized, int buffered, int bufferedBytes, int piped,
            int pipedAtOnce, boolean escapee) {
        public Sizes {
            for (int n : new int[] {junk, idle, oversized, buffered, bufferedBytes, piped}) {
                if (n < 0) {
                    throw new IllegalArgumentException("abuse mix sizes must not be negative: " + n);
                }
            }
            if (pipedAtOnce < 1) {
                throw new IllegalArgumentException("pipedAtOnce must be positive, is " + pipedAtOnce);
            }
        }

        /**
         * The mix: 2,000 junk connections, 1,000 idle ones, 40 oversized headers, 16
         * concurrent buffered execs of 12 MB each, 1,000 piped sessions, a setsid escapee.
         */
        public static Sizes full() {
            return new Sizes(2000, 1000, 40, 16, 12_000_000, 1000, 32, true);
        }

        /** A tenth of it, for the quick benchmark: the same parts, 4 buffered execs of 12 MB. */
        public static Sizes quick() {
            return new Sizes(200, 100, 40, 4, 12_000_000, 100, 16, true);
        }

        /** This mix without the connections that wait for admission: idle ones and junk. */
        public Sizes withoutPendingConnections() {
            return new Sizes(0, 0, oversized, buffered, bufferedBytes, piped, pipedAtOnce, escapee);
        }
    }

    /**
     * What the mix saw.
     *
     * @param startRssKib the agent's resident memory before the mix, in KiB
     * @param peakRssKib the agent's peak resident memory ({@code VmHWM}) after it, in KiB
     * @param legitimate how many legitimate requests were answered correctly
     * @param escapeeSurvived whether the escaped process outlived its session (it is killed afterwards)
     * @param elapsed how long the mix took
     * @param failures each legitimate request that was not answered correctly, and why; empty if none
     */
    public record Result(long startRssKib, long peakRssKib, int legitimate, boolean escapeeSurvived,
            Duration elapsed, List<String> failures) {
        public Result {
            failures = List.copyOf(failures);
        }

        /** {@code peak RSS 71.2 MiB (from 48.1 MiB), 1084 legitimate requests answered, 0 failed, 23.4 s}. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "peak RSS %.1f MiB (from %.1f MiB), %d legitimate requests"
                    + " answered, %d failed, escapee %s, %.1f s", peakRssKib / 1024.0, startRssKib / 1024.0, legitimate,
                    failures.size(), escapeeSurvived ? "survived" : "gone", elapsed.toMillis() / 1000.0);
        }
    }

    private final Endpoint endpoint;
    private final VsockExecClient client;
    private final Sizes sizes;
    private final Consumer<String> progress;
    private final AtomicInteger legitimate = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Connection> held = new ArrayList<>();
    /** Set once the mix's parts are done: the probes stop after the one under way, never inside it. */
    private volatile boolean probing = true;

    private AbuseMix(Endpoint endpoint, Sizes sizes, Consumer<String> progress) {
        this.endpoint = endpoint;
        this.client = VsockExecClient.of(endpoint);
        this.sizes = sizes;
        this.progress = progress;
    }

    /**
     * Runs the mix against the agent at {@code endpoint}, whose process is {@code agentPid} (its
     * memory is read from {@code /proc}), and returns what it saw. The abusive connections are
     * closed before it returns.
     *
     * @param progress one line per part, as it starts
     */
    public static Result run(Endpoint endpoint, long agentPid, Sizes sizes, Consumer<String> progress)
            throws IOException, InterruptedException {
        Objects.requireNonNull(sizes, "sizes");
        return new AbuseMix(endpoint, sizes, progress).run(agentPid);
    }

    private Result run(long agentPid) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long startRss = ProcessMemory.rssKib(agentPid);
        legitimate(); // the agent serves before the mix
        try {
            progress.accept("abuse: " + sizes.idle() + " idle connections, " + sizes.oversized() + " oversized headers");
            hold(sizes.idle(), null);
            hold(sizes.oversized(), oversizedHeader());
            Thread probes = Thread.ofVirtual().name("abuse probes").start(this::probeWhileTheMixRuns);
            List<Thread> parts = new ArrayList<>();
            parts.add(Thread.ofVirtual().name("abuse junk").start(this::junk));
            parts.add(Thread.ofVirtual().name("abuse buffered").start(this::buffered));
            parts.add(Thread.ofVirtual().name("abuse piped").start(this::piped));
            boolean escapee = sizes.escapee() && escapee();
            for (Thread part : parts) {
                if (!part.join(PATIENCE.multipliedBy(2))) {
                    failures.add(part.getName() + " did not finish within " + PATIENCE.multipliedBy(2).toMinutes()
                            + " min");
                }
            }
            probing = false;
            probes.join(PATIENCE);
            legitimate(); // and after it, with the abusive connections still open
            return new Result(startRss, ProcessMemory.peakRssKib(agentPid), legitimate.get(), escapee,
                    Duration.ofNanos(System.nanoTime() - start), List.copyOf(failures));
        } finally {
            for (Connection c : held) {
                c.close();
            }
            killEscapees();
        }
    }

    /** Opens {@code count} connections that send {@code bytes} (or nothing) and stay open until the mix ends. */
    private void hold(int count, byte[] bytes) {
        for (int i = 0; i < count; i++) {
            try {
                Connection c = Transports.dial(endpoint, Deadline.after(PATIENCE));
                held.add(c);
                if (bytes != null) {
                    c.output().write(bytes);
                }
            } catch (IOException e) {
                // The agent may shed or close what it will not serve: that is its right, not a failure.
            }
        }
    }

    /** A header claiming an Exec request of the largest payload, and not a byte of it. */
    private static byte[] oversizedHeader() {
        byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];
        FrameDescriptor.putHeader(header, 0, MessageType.EXEC, FrameDescriptor.DEFAULT_MAX_PAYLOAD);
        return header;
    }

    /** Connections that send random bytes and hang up, 16 at a time. */
    private void junk() {
        SplittableRandom random = new SplittableRandom(18);
        atMostAtOnce(sizes.junk(), 16, i -> {
            byte[] garbage = new byte[1 + (i * 7919) % 256];
            synchronized (random) {
                for (int b = 0; b < garbage.length; b++) {
                    garbage[b] = (byte) random.nextInt(256);
                }
            }
            try (Connection c = Transports.dial(endpoint, Deadline.after(PATIENCE))) {
                c.output().write(garbage);
            } catch (IOException e) {
                // refused, reset or shed: junk gets what it deserves
            }
        });
    }

    /** Concurrent buffered execs of a large output: each must come back whole. */
    private void buffered() {
        progress.accept("abuse: " + sizes.buffered() + " buffered execs of " + sizes.bufferedBytes() + " bytes at once");
        atMostAtOnce(sizes.buffered(), sizes.buffered(), i -> {
            String what = "buffered exec " + i + " of " + sizes.bufferedBytes() + " bytes";
            try {
                ExecResult r = client.exec("head -c " + sizes.bufferedBytes() + " /dev/zero");
                if (r.exitCode() != 0 || r.stdout().length != sizes.bufferedBytes() || !allZero(r.stdout())) {
                    failures.add(what + ": exit " + r.exitCode() + ", " + r.stdout().length + " bytes");
                } else {
                    legitimate.incrementAndGet();
                }
            } catch (IOException e) {
                failures.add(what + ": " + e);
            }
        });
    }

    /** Piped sessions of {@code cat}: some send their input and check the echo, some hang up at a random moment. */
    private void piped() {
        progress.accept("abuse: " + sizes.piped() + " piped sessions, " + sizes.pipedAtOnce() + " at a time");
        atMostAtOnce(sizes.piped(), sizes.pipedAtOnce(), i -> {
            SplittableRandom random = new SplittableRandom(i);
            byte[] input = new byte[1 + random.nextInt(64 * 1024)];
            random.nextBytes(input);
            boolean hangUp = random.nextInt(3) == 0;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PipeExecution pipe = client.startPipe(io.vsockexec.client.Command.shell("cat"), null, out, null)) {
                int sent = hangUp ? random.nextInt(input.length + 1) : input.length;
                pipe.stdin().write(input, 0, sent);
                pipe.stdin().flush();
                if (hangUp) {
                    return; // close() hangs up: the agent must cancel the session and carry on
                }
                pipe.stdin().close();
                ExecStatus status = pipe.waitFor();
                byte[] echoed = out.toByteArray();
                if (status.exitCode() != 0 || !Arrays.equals(echoed, input)) {
                    failures.add("piped session " + i + ": exit " + status.exitCode() + ", " + echoed.length + " of "
                            + input.length + " bytes echoed");
                } else {
                    legitimate.incrementAndGet();
                }
            } catch (IOException e) {
                if (!hangUp) {
                    failures.add("piped session " + i + ": " + e);
                }
            }
        });
    }

    /**
     * A session whose command leaves a process behind in a session of its own that ignores
     * SIGTERM, then a hang-up; true if that process outlived its session by a few seconds.
     */
    private boolean escapee() throws InterruptedException {
        progress.accept("abuse: a setsid escapee");
        String command = "setsid sh -c 'trap \"\" TERM; exec sleep " + ESCAPEE_MARK + "' </dev/null >/dev/null 2>&1 &"
                + " sleep 600";
        try (PipeExecution pipe = client.startPipe(io.vsockexec.client.Command.shell(command), null, null, null)) {
            Deadline started = Deadline.after(Duration.ofSeconds(30));
            while (escapees().isEmpty() && !started.hasPassed()) {
                Thread.sleep(50);
            }
        } catch (IOException e) {
            failures.add("escapee session: " + e);
            return false;
        }
        // The cancelled session's grace is the agent's --grace: give it that and some more.
        Deadline gone = Deadline.after(Duration.ofSeconds(20));
        while (!escapees().isEmpty() && !gone.hasPassed()) {
            Thread.sleep(100);
        }
        return !escapees().isEmpty();
    }

    /** The escaped processes still alive, by their command line (the agent shares this machine or guest). */
    private static List<Long> escapees() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(AbuseMix::isEscapee)
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isEscapee(Path proc) {
        try {
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return cmdline.equals("sleep\0" + ESCAPEE_MARK + "\0");
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours to read
        }
    }

    private static void killEscapees() {
        for (long pid : escapees()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Legitimate probes, one every {@link #PROBE_INTERVAL}, until the mix's parts are done. */
    private void probeWhileTheMixRuns() {
        while (probing) {
            legitimate();
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One legitimate buffered exec with output on both streams: it must be answered exactly. */
    private void legitimate() {
        try {
            ExecResult r = client.exec("echo ok; echo err >&2");
            if (r.exitCode() != 0 || !r.stdoutText().equals("ok\n") || !r.stderrText().equals("err\n")) {
                failures.add("probe: exit " + r.exitCode() + ", stdout '" + r.stdoutText() + "', stderr '"
                        + r.stderrText() + "'");
            } else {
                legitimate.incrementAndGet();
            }
        } catch (RemoteExecException e) {
            failures.add("probe refused: " + e.getMessage());
        } catch (IOException e) {
            failures.add("probe: " + e);
        }
    }

    /** Work for item {@code i}; failures it cares about go to the mix's list. */
    @FunctionalInterface
    private interface Item {
        void run(int i) throws InterruptedException;
    }

    /** Runs {@code count} items on virtual threads, at most {@code atOnce} at a time, and waits for them all. */
    private void atMostAtOnce(int count, int atOnce, Item item) {
        Semaphore slots = new Semaphore(atOnce);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                slots.acquire();
                int n = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        item.run(n);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
