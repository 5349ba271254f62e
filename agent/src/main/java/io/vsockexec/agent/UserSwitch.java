package io.vsockexec.agent;

import io.vsockexec.nativeio.UnknownUserException;
import io.vsockexec.nativeio.UserInfo;
import io.vsockexec.nativeio.Users;
import java.io.IOException;

/**
 * The user a request names ({@code -u}, as {@code docker exec --user} takes it), looked up and
 * checked against what the agent may do: only root may act as another user or group. One rule for
 * every request that acts as a user: a command runs as it, a copy writes files owned by it.
 */
final class UserSwitch {
    private UserSwitch() {}

    /**
     * The user {@code spec} names, or null for an empty spec (the agent's own user).
     *
     * @param action what the request does as the user, for the messages: {@code run}, {@code write}
     * @throws RequestException if {@code spec} is malformed
     * @throws StartFailure if the user or group does not exist, or the agent may not switch to it
     */
    static UserInfo resolve(String spec, String action, int agentUid, int agentGid) throws RequestException, StartFailure {
        if (spec.isEmpty()) {
            return null;
        }
        UserInfo user;
        try {
            user = Users.lookup(spec);
        } catch (IllegalArgumentException e) {
            throw new RequestException(e.getMessage(), e);
        } catch (UnknownUserException e) {
            throw new StartFailure(StartFailure.CANNOT_EXECUTE, e.getMessage());
        } catch (IOException e) {
            throw new StartFailure(StartFailure.CANNOT_EXECUTE, "look up user \"" + spec + "\": " + e.getMessage());
        }
        if (agentUid != 0 && user.uid() != agentUid) {
            throw new StartFailure(StartFailure.CANNOT_EXECUTE, "cannot " + action + " as user \"" + spec + "\" (uid "
                    + user.uid() + "): the agent runs as uid " + agentUid + ", and only root may switch users");
        }
        if (agentUid != 0 && impliesGroup(spec, user) && user.gid() != agentGid) {
            throw new StartFailure(StartFailure.CANNOT_EXECUTE, "cannot " + action + " as user \"" + spec + "\" with gid "
                    + user.gid() + ": the agent runs as gid " + agentGid + ", and only root may switch groups");
        }
        return user;
    }

    /**
     * True if the request names a group, or the user's passwd entry does: a bare uid without an
     * entry implies none, and runs with the agent's own.
     */
    private static boolean impliesGroup(String spec, UserInfo user) {
        return spec.indexOf(':') >= 0 || user.name().isPresent();
    }
}
