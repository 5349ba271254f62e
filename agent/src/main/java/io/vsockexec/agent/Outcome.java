package io.vsockexec.agent;

/**
 * How a session ended, for its log line.
 *
 * @param exitCode the exit code reported to the host, or null if the request was refused
 * @param error why the request was refused or the report is incomplete, or empty
 */
record Outcome(Integer exitCode, String error) {
    static Outcome exited(int code, String error) {
        return new Outcome(code, error);
    }

    /** A request that has no exit code, served: with {@code error} if it failed, else empty. */
    static Outcome completed(String error) {
        return new Outcome(null, error);
    }

    static Outcome refused(String reason) {
        return new Outcome(null, reason);
    }
}
