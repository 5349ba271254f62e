package io.vsockexec.nativeio;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a child runs as: see {@link Users#lookup}.
 *
 * @param uid the user id
 * @param gid the primary group id
 * @param groups the supplementary groups, the primary group included
 * @param name the user name, when the passwd database has the user
 * @param home the home directory, when the passwd database has the user
 * @param shell the login shell, when the passwd database has the user
 */
public record UserInfo(int uid, int gid, List<Integer> groups, Optional<String> name, Optional<String> home,
        Optional<String> shell) {

    /** @throws IllegalArgumentException for a negative id */
    public UserInfo {
        groups = List.copyOf(groups);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(shell, "shell");
        checkId("uid", uid);
        checkId("gid", gid);
        groups.forEach(g -> checkId("group", g));
    }

    private static void checkId(String what, int id) {
        if (id < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + id);
        }
    }
}
