package io.vsockexec.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to boot a guest: where its files go, its CID and memory, the options of the agent inside,
 * and where the kernel and the Java that runs the agent are. Immutable; the {@code with} methods
 * return modified copies.
 *
 * @param dir the directory of the VM's files: {@code vm.sock} (the hybrid socket), {@code vhost.sock},
 *     {@code console.log}; created if missing
 * @param cid the guest's CID, 3 to 4294967294
 * @param memoryBytes the guest's memory
 * @param agentOptions options appended to {@code vsockexec agent} inside the guest
 * @param kernel the user-mode Linux kernel
 * @param java the java binary that runs the agent inside the guest (the guest sees the host's files)
 * @param classPath the class path of the agent inside the guest: the project's jars
 * @param readyTimeout how long the guest may take to boot and start its agent
 */
public record VmConfig(Path dir, long cid, long memoryBytes, List<String> agentOptions, Path kernel, Path java,
        String classPath, Duration readyTimeout) {
    /** The CID a guest gets unless told otherwise: the first one a guest may have. */
    public static final long DEFAULT_CID = 3;
    /** The guest's memory unless told otherwise. */
    public static final long DEFAULT_MEMORY = 1L << 30;
    /** The least memory a guest gets: the agent is a JVM. */
    public static final long MIN_MEMORY = 256L << 20;
    /** Debian's user-mode Linux kernel (packages user-mode-linux and kmod). */
    public static final Path DEFAULT_KERNEL = Path.of("/usr/bin/linux.uml");
    /** Booting takes a few seconds on an idle machine; this allows for a loaded one. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(3);

    public VmConfig {
        Objects.requireNonNull(dir, "dir");
        dir = dir.toAbsolutePath().normalize();
        if (cid < 3 || cid > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("cid must be between 3 and 4294967294, is " + cid);
        }
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory must be at least " + (MIN_MEMORY >> 20) + "M, is "
                    + memoryBytes + " bytes");
        }
        agentOptions = List.copyOf(agentOptions);
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
    }

    /**
     * The defaults for a VM in {@code dir}: CID 3, 1 GiB, no agent options, Debian's kernel, and
     * this JVM's java and class path for the agent inside.
     */
    public static VmConfig of(Path dir) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        return new VmConfig(dir, DEFAULT_CID, DEFAULT_MEMORY, List.of(), DEFAULT_KERNEL, java,
                System.getProperty("java.class.path"), DEFAULT_READY_TIMEOUT);
    }

    /** This config with the guest's CID {@code cid}. */
    public VmConfig withCid(long cid) {
        return new VmConfig(dir, cid, memoryBytes, agentOptions, kernel, java, classPath, readyTimeout);
    }

    /** This config with {@code bytes} of guest memory. */
    public VmConfig withMemory(long bytes) {
        return new VmConfig(dir, cid, bytes, agentOptions, kernel, java, classPath, readyTimeout);
    }

    /** This config with {@code options} for the agent inside. */
    public VmConfig withAgentOptions(List<String> options) {
        return new VmConfig(dir, cid, memoryBytes, options, kernel, java, classPath, readyTimeout);
    }

    /** This config with another user-mode Linux kernel. */
    public VmConfig withKernel(Path kernel) {
        return new VmConfig(dir, cid, memoryBytes, agentOptions, kernel, java, classPath, readyTimeout);
    }

    /** This config with another limit for the guest to boot and start its agent. */
    public VmConfig withReadyTimeout(Duration timeout) {
        return new VmConfig(dir, cid, memoryBytes, agentOptions, kernel, java, classPath, timeout);
    }

    /** The hybrid socket host clients dial: {@code DIR/vm.sock}. */
    public Path hybridSocket() {
        return dir.resolve("vm.sock");
    }

    /** The vhost-user socket the guest's kernel connects to: {@code DIR/vhost.sock}. */
    public Path vhostSocket() {
        return dir.resolve("vhost.sock");
    }

    /** The guest's console: {@code DIR/console.log}, kept after the VM stops. */
    public Path consoleLog() {
        return dir.resolve("console.log");
    }
}
