package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where this process's cgroup v2 directory is: the cgroup2 mount from {@code /proc/self/mountinfo}
 * (beside v1 controllers too, as at {@code /sys/fs/cgroup/unified}) and the path in
 * {@code /proc/self/cgroup}. In a guest where nobody mounted it (the agent may be its init),
 * cgroup2 is mounted at an empty {@code /sys/fs/cgroup}. Unless told to leave the mount alone,
 * the hierarchy is made to favor dynamic modifications on the way ({@link FavorDynmods}).
 */
final class CgroupMount {
    /** Where a guest's init mounts cgroup2 when nothing else has. */
    static final Path DEFAULT_MOUNT = Path.of("/sys/fs/cgroup");

    private CgroupMount() {}

    /**
     * This process's cgroup directory.
     *
     * @param favorDynmods whether to mount, or remount, the hierarchy with {@code favordynmods}
     * @param log where what became of {@code favordynmods} is said, once
     * @throws IOException saying why there is none to use
     */
    static Path ownDirectory(boolean favorDynmods, Log log) throws IOException {
        Mount mount = find(mountinfo());
        if (mount == null) {
            mount = mountDefault(favorDynmods, log);
        } else if (favorDynmods) {
            FavorDynmods.ensure(mount, log);
        }
        // Read after the mount: a kernel with no cgroup hierarchy mounted may list none here.
        String own = ownPath(Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
        return mount.directoryOf(own);
    }

    /** This process's {@code /proc/self/mountinfo}. */
    static List<String> mountinfo() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
    }

    /**
     * A cgroup2 mount: the cgroup it shows ({@code root}) at {@code point}, with its per-mount
     * options ({@code rw,nosuid,relatime}) and its super block's ({@code rw,nsdelegate}).
     */
    record Mount(String root, Path point, List<String> options, List<String> superOptions) {
        Mount {
            options = List.copyOf(options);
            superOptions = List.copyOf(superOptions);
        }

        /** The directory of cgroup {@code path} under this mount. */
        Path directoryOf(String path) throws IOException {
            String base = root.equals("/") ? "" : root;
            if (!path.equals(base) && !path.startsWith(base + "/")) {
                throw new IOException("this process's cgroup " + path + " is outside the cgroup2 mount at " + point);
            }
            String below = path.substring(base.length());
            return below.isEmpty() || below.equals("/") ? point : point.resolve(below.substring(1));
        }
    }

    /** The cgroup v2 path in {@code /proc/self/cgroup}: the line {@code 0::PATH}. */
    static String ownPath(List<String> lines) throws IOException {
        for (String line : lines) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        throw new IOException("the kernel reports no cgroup v2 membership (no 0:: line in /proc/self/cgroup)");
    }

    /**
     * The first cgroup2 mount in {@code /proc/self/mountinfo}, or null. A line is {@code ID PARENT
     * MAJOR:MINOR ROOT POINT OPTIONS [TAGS...] - TYPE SOURCE SUPEROPTIONS}, with spaces in paths as
     * {@code \040}.
     */
    static Mount find(List<String> mountinfo) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0 || !line.startsWith("cgroup2 ", dash + 3)) {
                continue;
            }
            String[] fields = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (fields.length >= 6 && tail.length >= 3) {
                return new Mount(unescape(fields[3]), Path.of(unescape(fields[4])), options(fields[5]),
                        options(tail[2]));
            }
        }
        return null;
    }

    private static List<String> options(String field) {
        return Arrays.stream(unescape(field).split(",")).filter(o -> !o.isEmpty()).toList();
    }

    private static Mount mountDefault(boolean favorDynmods, Log log) throws IOException {
        if (!Files.isDirectory(DEFAULT_MOUNT) || !isEmpty(DEFAULT_MOUNT)) {
            throw new IOException("no cgroup2 mount, and " + DEFAULT_MOUNT + " is not an empty directory to mount one on");
        }
        if (!favorDynmods) {
            Mounts.mountCgroup2(DEFAULT_MOUNT, null);
        } else {
            try {
                Mounts.mountCgroup2(DEFAULT_MOUNT, FavorDynmods.OPTION);
                log.info("cgroups: mounted cgroup2 at " + DEFAULT_MOUNT + " with " + FavorDynmods.OPTION);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINVAL) {
                    throw e;
                }
                Mounts.mountCgroup2(DEFAULT_MOUNT, null);
                log.info("cgroups: mounted cgroup2 at " + DEFAULT_MOUNT + " without " + FavorDynmods.OPTION + ", which"
                        + " this kernel does not know (Linux 6.0 or later does): " + FavorDynmods.COST);
            }
        }
        Mount mounted = find(mountinfo());
        return mounted != null ? mounted : new Mount("/", DEFAULT_MOUNT, List.of(), List.of());
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
    private static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
