package io.vsockexec.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What user-mode Linux needs on this machine, found or reported missing in one line: the
 * kernel, its vsock modules, insmod (run inside the guest from the host's files), and a
 * {@code /dev/shm} for the guest's memory file, which the back-end maps.
 *
 * @param kernel the kernel binary
 * @param modules the directory holding {@code vsock.ko} and the virtio transport's modules
 */
record UmlPlatform(Path kernel, Path modules) {
    /** The modules loaded in the guest, in order. */
    static final List<String> VSOCK_MODULES = List.of("vsock", "vmw_vsock_virtio_transport_common",
            "vmw_vsock_virtio_transport");
    private static final Path MODULE_ROOT = Path.of("/usr/lib/uml/modules");
    private static final List<Path> INSMOD = List.of(Path.of("/usr/sbin/insmod"), Path.of("/sbin/insmod"),
            Path.of("/usr/bin/insmod"), Path.of("/bin/insmod"));

    /** Finds everything for {@code kernel}, or says what is missing. */
    static UmlPlatform find(Path kernel) throws VmUnavailableException {
        if (!Files.isExecutable(kernel)) {
            throw new VmUnavailableException(kernel + " is not installed (apt-get install user-mode-linux kmod)");
        }
        Path modules = findModules();
        if (INSMOD.stream().noneMatch(Files::isExecutable)) {
            throw new VmUnavailableException("insmod is missing (apt-get install kmod)");
        }
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
            throw new VmUnavailableException("/dev/shm is not a writable directory; user-mode Linux keeps the"
                    + " guest's memory there");
        }
        return new UmlPlatform(kernel, modules);
    }

    /** The kernel's release, e.g. {@code 6.1.176}: the name of the directory its modules are in. */
    String release() {
        // MODULE_ROOT/RELEASE/kernel/net/vmw_vsock
        return modules.getParent().getParent().getParent().getFileName().toString();
    }

    /**
     * True if a kernel of {@code release} knows the boot parameter {@code cgroup_favordynmods=}
     * (Linux 6.7 and later). An older one would not fail, but hand it to the guest's init as an
     * environment variable, which every command the agent runs would inherit.
     */
    static boolean knowsFavorDynmodsParameter(String release) {
        String[] parts = release.split("[.-]", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 6 || major == 6 && minor >= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Path findModules() throws VmUnavailableException {
        try (Stream<Path> versions = Files.list(MODULE_ROOT)) {
            return versions.map(v -> v.resolve("kernel/net/vmw_vsock"))
                    .filter(d -> VSOCK_MODULES.stream().allMatch(m -> Files.isRegularFile(d.resolve(m + ".ko"))))
                    .findFirst()
                    .orElseThrow(() -> new VmUnavailableException("no virtio vsock modules under " + MODULE_ROOT
                            + " (apt-get install user-mode-linux)"));
        } catch (IOException e) {
            throw new VmUnavailableException("no user-mode Linux modules at " + MODULE_ROOT
                    + " (apt-get install user-mode-linux)");
        }
    }
}
