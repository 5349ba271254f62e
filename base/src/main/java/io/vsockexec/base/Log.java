package io.vsockexec.base;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The project's one logging channel: every part of vsockexec that reports something to a person
 * does it through a {@code Log}, one line per event, prefixed with the program's name.
 *
 * <pre>
 * vsockexec agent: session 7 exec-pipe /usr/bin/cat user=- exit=0 1.2s
 * vsockexec agent: warning: accept on unix:///run/a.sock failed: EMFILE (Too many open files)
 * vsockexec: debug: exec true on unix:///tmp/a.sock
 * </pre>
 *
 * <p>Notices and warnings are always written; debug lines only while {@linkplain
 * #enableDebug(boolean) debug logging} is on (the CLI's {@code -v}), and their message is built
 * only then. A debug line with a cause is followed by the cause's stack trace, since asking for
 * debug output is asking for it. A log never sees environment values, input or output: callers
 * log names and positions, not values.
 */
public final class Log {
    private static final Log PROCESS = new Log("vsockexec", Log::toStderr);
    private static final Log DISCARD = new Log("", line -> { });
    private static volatile boolean debug;

    private final String prefix;
    private final Consumer<String> sink;

    private Log(String prefix, Consumer<String> sink) {
        this.prefix = prefix;
        this.sink = sink;
    }

    /** The process's log: {@code vsockexec: ...} on standard error. */
    public static Log process() {
        return PROCESS;
    }

    /** A log on standard error whose lines begin with {@code prefix: }, e.g. {@code vsockexec agent}. */
    public static Log stderr(String prefix) {
        return to(prefix, Log::toStderr);
    }

    /** A log that hands each whole line, prefix included, to {@code sink} (tests, embedding hosts). */
    public static Log to(String prefix, Consumer<String> sink) {
        return new Log(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(sink, "sink"));
    }

    /** A log that drops every line. */
    public static Log discard() {
        return DISCARD;
    }

    /** Turns debug lines on or off, for every log of this process. */
    public static void enableDebug(boolean on) {
        debug = on;
    }

    /** True while debug lines are written. */
    public static boolean debugEnabled() {
        return debug;
    }

    /** A notice: something a person running the program should see. */
    public void info(String message) {
        sink.accept(prefix + ": " + message);
    }

    /** Something went wrong that the program works around. */
    public void warning(String message) {
        sink.accept(prefix + ": warning: " + message);
    }

    /** A debug line, built only when debug logging is on. */
    public void debug(Supplier<String> message) {
        if (debug) {
            sink.accept(prefix + ": debug: " + message.get());
        }
    }

    /** A debug line naming its cause, followed by the cause's stack trace. */
    public void debug(Supplier<String> message, Throwable cause) {
        if (debug) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            sink.accept(prefix + ": debug: " + message.get() + ": " + cause + System.lineSeparator()
                    + trace.toString().stripTrailing());
        }
    }

    // System.err is looked up per line: tests and the CLI replace it while a log lives.
    private static void toStderr(String line) {
        System.err.println(line);
    }
}
