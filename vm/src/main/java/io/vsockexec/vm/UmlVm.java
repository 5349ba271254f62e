package io.vsockexec.vm;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Log;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A guest kernel on this machine without KVM: Debian's user-mode Linux, with a virtio-vsock
 * device served by a {@link VsockBackend} in this process, the host's files as its root
 * (read-only) and the project's agent inside on vsock ports 5000 and 5002.
 *
 * <pre>{@code
 * try (UmlVm vm = UmlVm.start(VmConfig.of(dir).withCid(7))) {
 *     vm.awaitReady();
 *     // VsockExecClient.of(vm.execEndpoint()) ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} powers the guest off (the agent ends its sessions first), and removes
 * what the VM created in its directory but the guest's console log; a back-end the VM created
 * is closed with it, one the caller passed in is left running for the next guest.
 */
public final class UmlVm implements Closeable {
    /** How long the guest has to power itself off before its processes are killed. */
    static final Duration POWER_OFF_GRACE = Duration.ofSeconds(15);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Log LOG = Log.process();

    private final VmConfig config;
    private final VsockBackend backend;
    private final Process kernel;
    private final Path init;
    private final Path umlDir;
    private final boolean ownsBackend;
    private final Path hybrid;
    private boolean closed;

    private UmlVm(VmConfig config, VsockBackend backend, Process kernel, Path init, Path umlDir, boolean ownsBackend,
            Path hybrid) {
        this.hybrid = hybrid;
        this.config = config;
        this.backend = backend;
        this.kernel = kernel;
        this.init = init;
        this.umlDir = umlDir;
        this.ownsBackend = ownsBackend;
    }

    /**
     * Boots a guest; returns once its kernel started, before the agent is ready ({@link #awaitReady}).
     *
     * @throws VmUnavailableException if user-mode Linux cannot run here, saying why
     * @throws io.vsockexec.nativeio.ErrnoException EADDRINUSE if a VM already runs in the directory
     */
    public static UmlVm start(VmConfig config) throws IOException {
        UmlPlatform platform = UmlPlatform.find(config.kernel());
        checkGuestCanSee(config);
        Files.createDirectories(config.dir());
        VsockBackend backend = VsockBackend.start(config.vhostSocket(), config.hybridSocket(), config.cid());
        try {
            return boot(config, platform, backend, true);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Boots a guest against a back-end the caller owns and keeps: one guest after another can
     * attach to the same back-end, and host clients keep dialing the same socket. The config's
     * directory holds the guest's files; its sockets and CID are the back-end's.
     *
     * @throws VmUnavailableException if user-mode Linux cannot run here, saying why
     */
    public static UmlVm start(VmConfig config, VsockBackend backend) throws IOException {
        UmlPlatform platform = UmlPlatform.find(config.kernel());
        checkGuestCanSee(config);
        Files.createDirectories(config.dir());
        VmConfig onBackend = new VmConfig(config.dir(), backend.guestCid(), config.memoryBytes(),
                config.agentOptions(), config.kernel(), config.java(), config.classPath(), config.readyTimeout());
        return boot(onBackend, platform, backend, false, backend.vhostSocket(), backend.hybridSocket());
    }

    private static UmlVm boot(VmConfig config, UmlPlatform platform, VsockBackend backend, boolean owns)
            throws IOException {
        return boot(config, platform, backend, owns, config.vhostSocket(), config.hybridSocket());
    }

    private static UmlVm boot(VmConfig config, UmlPlatform platform, VsockBackend backend, boolean owns,
            Path vhost, Path hybrid) throws IOException {
        Path init = config.dir().resolve("init");
        Path umlDir = config.dir().resolve("uml");
        try {
            Files.writeString(init, GuestInit.script(config, platform), StandardCharsets.UTF_8);
            init.toFile().setExecutable(true, false);
            Files.createDirectories(umlDir);
            Process p = new ProcessBuilder(command(config, platform, init, umlDir, vhost))
                    .redirectErrorStream(true)
                    .redirectOutput(config.consoleLog().toFile())
                    .start();
            return new UmlVm(config, backend, p, init, umlDir, owns, hybrid);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(init);
            deleteTree(umlDir);
            throw e;
        }
    }

    /** The guest mounts a tmpfs over /tmp: nothing it must run may live there. */
    private static void checkGuestCanSee(VmConfig config) throws VmUnavailableException {
        List<String> needed = new ArrayList<>(List.of(config.java().toString()));
        needed.addAll(List.of(config.classPath().split(java.io.File.pathSeparator)));
        for (String p : needed) {
            Path path = Path.of(p).toAbsolutePath().normalize();
            if (path.startsWith(GuestInit.GUEST_TMP)) {
                throw new VmUnavailableException(path + " is under " + GuestInit.GUEST_TMP
                        + ", which the guest replaces with a private tmpfs; put java and the jars elsewhere");
            }
        }
    }

    /**
     * The kernel's command line, run in a session of its own (setsid) where there is one, so a
     * Ctrl-C in the launcher's terminal reaches the launcher, which powers the guest off, and
     * not the kernel, which would die at once.
     */
    private static List<String> command(VmConfig config, UmlPlatform platform, Path init, Path umlDir, Path vhost) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of(platform.kernel().toString(),
                "mem=" + (config.memoryBytes() >> 20) + "M",
                "quiet",
                "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "ro",
                "init=" + init,
                "con=null", "con0=fd:0,fd:1",
                "uml_dir=" + umlDir, "umid=vm",
                "virtio_uml.device=" + vhost + ":19"));
        // The guest's cgroup2 hierarchy in writer-friendly mode from boot, so that moving a command
        // into its session's cgroup does not wait for an RCU grace period. An older kernel goes
        // without: the agent, which mounts cgroup2 in the guest, mounts it with favordynmods.
        if (UmlPlatform.knowsFavorDynmodsParameter(platform.release())) {
            command.add("cgroup_favordynmods=true");
        }
        return command;
    }

    /** Waits until the agent inside answers on its readiness port, within the config's timeout. */
    public void awaitReady() throws IOException {
        awaitReady(config.readyTimeout());
    }

    /**
     * Waits until the agent inside answers on its readiness port.
     *
     * @throws IOException if the guest stops first (the message ends with its console's last lines)
     *     or the timeout passes
     */
    public void awaitReady(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        Endpoint ready = readyEndpoint();
        while (true) {
            if (!kernel.isAlive()) {
                throw new IOException("the guest stopped before its agent was ready (exit status "
                        + kernel.exitValue() + "); " + consoleTail());
            }
            try {
                Transports.dial(ready, Deadline.after(Duration.ofSeconds(5)).earliest(deadline)).close();
                return;
            } catch (IOException notYet) {
                if (deadline.hasPassed()) {
                    throw new IOException("the guest's agent was not ready within " + timeout + "; " + consoleTail(),
                            notYet);
                }
            }
            pause(Duration.ofMillis(100));
        }
    }

    private String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(config.consoleLog(), StandardCharsets.ISO_8859_1);
            return "console " + config.consoleLog() + " ends: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "no console log at " + config.consoleLog();
        }
    }

    private static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the guest");
        }
    }

    /** {@code hybrid://DIR/vm.sock:5000}: the agent's exec endpoint. */
    public Endpoint execEndpoint() {
        return Endpoint.parse("hybrid://" + hybrid + ":" + GuestInit.EXEC_PORT);
    }

    /** {@code hybrid://DIR/vm.sock:5002}: the agent's readiness endpoint. */
    public Endpoint readyEndpoint() {
        return Endpoint.parse("hybrid://" + hybrid + ":" + GuestInit.READY_PORT);
    }

    /** The guest's configuration. */
    public VmConfig config() {
        return config;
    }

    /** The back-end serving the guest's vsock device. */
    public VsockBackend backend() {
        return backend;
    }

    /** True while the guest's kernel runs. */
    public boolean isRunning() {
        return kernel.isAlive();
    }

    /** Waits for the guest to stop by itself; its kernel's exit status, or -1 if it still runs after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return kernel.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? kernel.exitValue() : -1;
    }

    /** Pulls the plug: kills the guest's kernel and its processes at once, as a crash would. */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(kernel.descendants().toList());
        kernel.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Powers the guest off (killing it if it does not stop within {@link #POWER_OFF_GRACE}),
     * stops the back-end, and removes the VM's files but {@code console.log}. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        powerOff();
        if (ownsBackend) {
            backend.close();
        }
        try {
            Files.deleteIfExists(init);
            deleteTree(umlDir);
        } catch (IOException e) {
            LOG.debug(() -> "could not remove the VM's files", e);
        }
    }

    private void powerOff() {
        // Every process of the guest, looked up while the kernel still runs: they are its children.
        List<ProcessHandle> all = new ArrayList<>(kernel.descendants().toList());
        // A line, and the input kept open: its end would hang the console up, and the guest's
        // last lines (the agent stopping, the power-off) would not reach the log.
        OutputStream console = kernel.getOutputStream();
        try {
            console.write('\n');
            console.flush();
        } catch (IOException alreadyGone) {
            // the kernel is gone or going
        }
        try {
            if (!kernel.waitFor(POWER_OFF_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("the guest did not power off within " + POWER_OFF_GRACE + "; killing it");
                kernel.destroyForcibly();
                kernel.waitFor(POWER_OFF_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kernel.destroyForcibly();
        }
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            console.close();
        } catch (IOException alreadyClosed) {
            // the kernel has exited
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "UmlVm[" + config.dir() + ", CID " + config.cid() + "]";
    }
}
