package io.vsockexec.agent;

import io.vsockexec.nativeio.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where this process's cgroup v2 directory is: the cgroup2 mount from {@code /proc/self/mountinfo}
 * (beside v1 controllers too, as at {@code /sys/fs/cgroup/unified}) and the path in
 * {@code /proc/self/cgroup}. In a guest where nobody mounted it (the agent may be its init),
 * cgroup2 is mounted at an empty {@code /sys/fs/cgroup}.
 */
final class CgroupMount {
    /** Where a guest's init mounts cgroup2 when nothing else has. */
    static final Path DEFAULT_MOUNT = Path.of("/sys/fs/cgroup");

    private CgroupMount() {}

    /**
     * This process's cgroup directory.
     *
     * @throws IOException saying why there is none to use
     */
    static Path ownDirectory() throws IOException {
        Mount mount = find(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
        if (mount == null) {
            mount = mountDefault();
        }
        // Read after the mount: a kernel with no cgroup hierarchy mounted may list none here.
        String own = ownPath(Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
        return mount.directoryOf(own);
    }

    /** A cgroup2 mount: the cgroup it shows ({@code root}) at {@code point}. */
    record Mount(String root, Path point) {
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
            if (fields.length >= 5) {
                return new Mount(unescape(fields[3]), Path.of(unescape(fields[4])));
            }
        }
        return null;
    }

    private static Mount mountDefault() throws IOException {
        if (!Files.isDirectory(DEFAULT_MOUNT) || !isEmpty(DEFAULT_MOUNT)) {
            throw new IOException("no cgroup2 mount, and " + DEFAULT_MOUNT + " is not an empty directory to mount one on");
        }
        Mounts.mountCgroup2(DEFAULT_MOUNT);
        return new Mount("/", DEFAULT_MOUNT);
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
