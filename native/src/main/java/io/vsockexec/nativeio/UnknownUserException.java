package io.vsockexec.nativeio;

import java.io.IOException;

/** A user or group name that the user database does not know. */
public final class UnknownUserException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String name;

    UnknownUserException(String kind, String name) {
        super("unknown " + kind + " \"" + name + "\": not in the " + (kind.equals("user") ? "passwd" : "group")
                + " database");
        this.name = name;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }
}
