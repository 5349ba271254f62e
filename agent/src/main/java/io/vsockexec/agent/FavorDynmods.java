package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.nativeio.ErrnoException;
import io.vsockexec.nativeio.MountFlag;
import io.vsockexec.nativeio.Mounts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup2 mount option {@code favordynmods} (Linux 6.0 and later), which the agent turns on
 * where it runs sessions in cgroups. Where libc cannot clone a command into its cgroup, the
 * command is moved there by a write to {@code cgroup.procs}, and that write takes the kernel's
 * process-migration lock for writing; in its default, per-CPU mode, taking it waits for an RCU
 * grace period unless another writer passed moments before: one wait per command started now and
 * then. With {@code favordynmods} the lock stays in its writer-friendly mode, and the price moves
 * to every fork and exit on the machine, which take the slower read side: the trade the kernel
 * documents for a system that migrates a process for each command it runs, as the agent does.
 *
 * <p>A cgroup2 remount replaces the super block's options and the mount's flags as a whole, so
 * the remount gives back every option and flag the mount has, plus {@code favordynmods}.
 *
 * <p>The agent never turns it back off, at its shutdown or otherwise: the option is the
 * hierarchy's, shared by everything on the machine, and another agent, or whoever mounted it so,
 * may be counting on it; nor can an agent tell whether it was on before it came.
 */
final class FavorDynmods {
    /** The option's name in mount(2)'s data and in {@code /proc/self/mountinfo}. */
    static final String OPTION = "favordynmods";
    /** What a hierarchy without it costs: said when it cannot be had. */
    static final String COST = "moving each command into its session's cgroup may wait for an RCU grace period";

    private FavorDynmods() {}

    /** A remount of {@code target} with these per-mount flags and cgroup2 options. */
    record Remount(Path target, Set<MountFlag> flags, String options) {
        Remount {
            flags = Set.copyOf(flags);
        }
    }

    /**
     * The remount that adds {@code favordynmods} to {@code mount} and keeps the rest: its
     * per-mount flags ({@code ro}, {@code nosuid}, ..., {@code relatime}) as flags, its super
     * block's options ({@code nsdelegate}, {@code memory_recursiveprot}, ...) as data; none if it
     * has it already.
     */
    static Optional<Remount> remountOf(CgroupMount.Mount mount) {
        if (mount.superOptions().contains(OPTION)) {
            return Optional.empty();
        }
        Set<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
        for (String o : mount.options()) {
            MountFlag.ofOption(o).ifPresent(flags::add);
        }
        if (mount.superOptions().contains("ro")) {
            flags.add(MountFlag.RDONLY); // a read-only super block stays so
        }
        return Optional.of(new Remount(mount.point(), flags, optionsWith(mount.superOptions())));
    }

    /**
     * cgroup2's own options as mount(2) takes them: the super block's, as mountinfo lists them,
     * but {@code rw} and {@code ro} (which are flags), and {@code favordynmods}.
     */
    static String optionsWith(List<String> superOptions) {
        List<String> options = new ArrayList<>();
        for (String o : superOptions) {
            if (!o.equals("rw") && !o.equals("ro") && !o.equals(OPTION)) {
                options.add(o);
            }
        }
        options.add(OPTION);
        return String.join(",", options);
    }

    /**
     * Remounts {@code mount} with {@code favordynmods} unless it has it, and says once what
     * came of it. A kernel that refuses (EINVAL before Linux 6.0, EPERM without CAP_SYS_ADMIN
     * over the mount), or ignores the option (from a cgroup namespace of its own), leaves the
     * mount's options as they were; the agent carries on.
     */
    static void ensure(CgroupMount.Mount mount, Log log) {
        Optional<Remount> remount = remountOf(mount);
        if (remount.isEmpty()) {
            log.debug(() -> "cgroups: " + mount.point() + " is mounted with " + OPTION);
            return;
        }
        try {
            apply(remount.get());
        } catch (ErrnoException e) {
            log.info("cgroups: could not remount " + mount.point() + " with " + OPTION + " (" + e.getMessage() + ");"
                    + " " + COST);
            return;
        }
        if (taken()) {
            log.info("cgroups: remounted " + mount.point() + " with " + OPTION + " (--keep-cgroup-mount leaves it"
                    + " alone)");
        } else {
            // A cgroup namespace of its own: the kernel takes the remount and ignores the option.
            log.info("cgroups: remounted " + mount.point() + ", but the kernel did not take " + OPTION + "; " + COST);
        }
    }

    /** True if the cgroup2 mount now lists the option. */
    private static boolean taken() {
        try {
            CgroupMount.Mount now = CgroupMount.find(CgroupMount.mountinfo());
            return now != null && now.superOptions().contains(OPTION);
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes the remount call. */
    static void apply(Remount remount) throws ErrnoException {
        Mounts.remount(remount.target(), remount.flags(), remount.options());
    }
}
