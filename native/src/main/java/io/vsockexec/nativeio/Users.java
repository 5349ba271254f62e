package io.vsockexec.nativeio;

import io.vsockexec.nativeio.internal.ProcessLibc;
import io.vsockexec.nativeio.internal.UserDb;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Users and groups for running a child as someone else: look a user up, then put the
 * {@linkplain #setprivPrefix setpriv prefix} in front of the child's argv (posix_spawn cannot
 * change the user itself).
 *
 * <p>The lookups go through NSS and may do I/O (LDAP, for instance); they do not park the thread.
 */
public final class Users {
    private static final List<Path> SETPRIV_DIRS =
            List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    private Users() {}

    /**
     * Resolves a user as {@code docker exec --user} takes it: {@code UID}, {@code UID:GID},
     * {@code NAME} or {@code NAME:GROUP}.
     * <ul>
     *   <li>Without a group, the primary group comes from the passwd entry and the supplementary
     *       groups from the group database; a uid without a passwd entry gets group 0, as in Docker.
     *   <li>With a group, that group is the primary and only group.
     * </ul>
     *
     * @throws IllegalArgumentException if {@code spec} is malformed ({@code ""}, {@code "1:2:3"},
     *     {@code "-5"}) or an id is above 2147483647
     * @throws UnknownUserException if a user or group name is not in the database
     */
    public static UserInfo lookup(String spec) throws IOException {
        Objects.requireNonNull(spec, "spec");
        String[] parts = spec.split(":", -1);
        if (parts.length > 2) {
            throw malformed(spec);
        }
        for (String part : parts) {
            checkPart(part, spec);
        }
        String user = parts[0];
        UserDb.PasswdEntry entry = isId(user) ? UserDb.byUid(id(user, spec)) : UserDb.byName(user);
        if (entry == null && !isId(user)) {
            throw new UnknownUserException("user", user);
        }
        int uid = entry != null ? entry.uid() : id(user, spec);
        if (parts.length == 2) {
            int gid = groupId(parts[1], spec);
            return info(uid, gid, List.of(gid), entry);
        }
        if (entry == null) {
            return info(uid, 0, List.of(0), null);
        }
        return info(uid, entry.gid(), UserDb.groupList(entry.name(), entry.gid()), entry);
    }

    private static UserInfo info(int uid, int gid, List<Integer> groups, UserDb.PasswdEntry entry) {
        if (entry == null) {
            return new UserInfo(uid, gid, groups, Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new UserInfo(uid, gid, groups, Optional.of(entry.name()), Optional.of(entry.home()),
                Optional.of(entry.shell()));
    }

    private static int groupId(String group, String spec) throws IOException {
        if (isId(group)) {
            return id(group, spec);
        }
        long gid = UserDb.groupId(group);
        if (gid < 0) {
            throw new UnknownUserException("group", group);
        }
        if (gid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group " + group + " has an id above 2147483647: " + gid);
        }
        return (int) gid;
    }

    private static void checkPart(String part, String spec) {
        boolean bad = part.isEmpty() || part.startsWith("-")
                || part.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '/');
        if (bad) {
            throw malformed(spec);
        }
    }

    private static boolean isId(String part) {
        return part.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int id(String part, String spec) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("user or group id above 2147483647 in \"" + spec + "\"");
        }
    }

    private static IllegalArgumentException malformed(String spec) {
        return new IllegalArgumentException(
                "malformed user \"" + spec + "\": expected UID, UID:GID, NAME or NAME:GROUP");
    }

    /** This process's effective user id (0 when it may switch to any user). */
    public static int effectiveUid() {
        return ProcessLibc.geteuid();
    }

    /** This process's effective group id: the one group a non-root process can give its children. */
    public static int effectiveGid() {
        return ProcessLibc.getegid();
    }

    /**
     * The argv prefix that runs a program as {@code user} through util-linux {@code setpriv}:
     * {@code /usr/bin/setpriv --reuid=U --regid=G --groups=G1,G2 --} (or {@code --clear-groups}
     * when there are none). Append the program's path and arguments. setpriv exits 127 when the
     * program does not exist and 126 when it cannot be executed, as a shell does. Changing the
     * user needs root (CAP_SETUID and CAP_SETGID).
     *
     * @throws FileNotFoundException if setpriv is in none of /usr/bin, /bin, /usr/sbin, /sbin
     */
    public static List<String> setprivPrefix(UserInfo user) throws FileNotFoundException {
        return setprivPrefix(user, SETPRIV_DIRS);
    }

    static List<String> setprivPrefix(UserInfo user, List<Path> searchDirs) throws FileNotFoundException {
        Path setpriv = searchDirs.stream()
                .map(dir -> dir.resolve("setpriv"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst()
                .orElseThrow(() -> new FileNotFoundException("setpriv not found in "
                        + searchDirs.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + ": install util-linux to run commands as another user"));
        List<String> prefix = new ArrayList<>();
        prefix.add(setpriv.toString());
        prefix.add("--reuid=" + user.uid());
        prefix.add("--regid=" + user.gid());
        prefix.add(user.groups().isEmpty() ? "--clear-groups" : "--groups=" + user.groups().stream()
                .map(String::valueOf).collect(Collectors.joining(",")));
        prefix.add("--");
        return List.copyOf(prefix);
    }
}
