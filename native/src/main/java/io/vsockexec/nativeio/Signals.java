package io.vsockexec.nativeio;

import java.util.Locale;
import java.util.Map;

/**
 * Linux signal numbers (the same on x86_64 and aarch64) and their names, for
 * {@link ChildProcess#signal} and {@link ChildProcess#signalGroup}.
 */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGWINCH = 28;
    /** The highest signal number (SIGRTMAX); valid signals are 1 to this. */
    public static final int MAX = 64;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", SIGHUP), Map.entry("INT", SIGINT), Map.entry("QUIT", SIGQUIT),
            Map.entry("ILL", SIGILL), Map.entry("TRAP", SIGTRAP), Map.entry("ABRT", SIGABRT),
            Map.entry("BUS", SIGBUS), Map.entry("FPE", SIGFPE), Map.entry("KILL", SIGKILL),
            Map.entry("USR1", SIGUSR1), Map.entry("SEGV", SIGSEGV), Map.entry("USR2", SIGUSR2),
            Map.entry("PIPE", SIGPIPE), Map.entry("ALRM", SIGALRM), Map.entry("TERM", SIGTERM),
            Map.entry("CHLD", SIGCHLD), Map.entry("CONT", SIGCONT), Map.entry("STOP", SIGSTOP),
            Map.entry("TSTP", SIGTSTP), Map.entry("TTIN", SIGTTIN), Map.entry("TTOU", SIGTTOU),
            Map.entry("WINCH", SIGWINCH));

    private Signals() {}

    /**
     * The number of a signal given as a number ({@code "15"}) or a name with or without the
     * {@code SIG} prefix, in any case ({@code "TERM"}, {@code "sigterm"}).
     *
     * @throws IllegalArgumentException for an unknown name or a number outside 1 to {@link #MAX}
     */
    public static int parse(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = s.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(s);
            if (n < 1 || n > MAX) {
                throw new IllegalArgumentException("signal number must be 1 to " + MAX + ": " + signal);
            }
            return n;
        }
        Integer n = BY_NAME.get(s.startsWith("SIG") ? s.substring(3) : s);
        if (n == null) {
            throw new IllegalArgumentException("unknown signal: " + signal);
        }
        return n;
    }

    /**
     * Rejects a number that cannot be sent: 0 (which only checks the target) to {@link #MAX}.
     *
     * @throws IllegalArgumentException otherwise
     */
    static void check(int signal) {
        if (signal < 0 || signal > MAX) {
            throw new IllegalArgumentException("signal must be 0 to " + MAX + ": " + signal);
        }
    }

    /** The name of {@code signal}, such as {@code SIGTERM}, or {@code signal 40} for one without a name here. */
    public static String name(int signal) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == signal) {
                return "SIG" + e.getKey();
            }
        }
        return "signal " + signal;
    }
}
