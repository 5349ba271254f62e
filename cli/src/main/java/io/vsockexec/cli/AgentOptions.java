package io.vsockexec.cli;

import io.vsockexec.agent.AgentConfig;
import io.vsockexec.base.Durations;
import io.vsockexec.base.Timeout;
import io.vsockexec.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The agent's options: one table, each row an option (names, value, help) and what it sets on
 * {@link AgentConfig.Builder}, the agent's library API. The parser, {@code --help} and the shell
 * completion all read this table, so adding an agent option is adding a row. An option that is
 * not given leaves the builder's default.
 */
final class AgentOptions {
    /** A row: the option, and how its values set the builder; rows apply in table order. */
    private record Setting<T>(Opt<T> option, BiConsumer<AgentConfig.Builder, List<T>> apply) {
        void applyTo(AgentConfig.Builder builder, Args args) {
            if (args.has(option)) {
                apply.accept(builder, args.all(option));
            }
        }
    }

    private static final List<Setting<?>> TABLE = List.of(
            all(Opt.value("--listen", "ENDPOINT", Endpoint::parse, "Serve sessions here; repeatable."
                    + " Default: " + AgentConfig.DEFAULT_LISTEN + ".").repeatable(), AgentConfig.Builder::listen),
            all(Opt.value("--ready", "ENDPOINT", Endpoint::parse, "Accept and close at once here, so a"
                    + " connect means ready; repeatable. Default: " + AgentConfig.DEFAULT_READY + ".").repeatable(),
                    AgentConfig.Builder::ready),
            last(Opt.flag("--no-ready", "No readiness endpoint."), (b, on) -> b.ready(List.of())),
            last(Opt.value("--grace", "DURATION", Values::duration, "Between SIGTERM and SIGKILL when a session is"
                    + " cancelled. Default: " + Durations.format(AgentConfig.DEFAULT_GRACE) + "."),
                    AgentConfig.Builder::grace),
            last(Opt.value("--max-sessions", "N", text -> Values.count(text, 1), "Sessions at once; more are"
                    + " answered \"agent busy\". Default: " + AgentConfig.DEFAULT_MAX_SESSIONS + "."),
                    AgentConfig.Builder::maxSessions),
            last(Opt.value("--max-frame", "BYTES", Values::byteSize, "Largest frame payload (e.g. 16MiB); bounds"
                    + " buffered Exec output too. Default: 16MiB."), AgentConfig.Builder::maxFrame),
            last(Opt.value("--max-memory", "BYTES", Values::byteSize, "The agent's memory ceiling (e.g. 128MiB): the"
                    + " launcher sizes the JVM from it, and what the agent buffers waits for room within it. Default:"
                    + " 96MiB."), (b, bytes) -> b.maxMemory(bytes)),
            last(Opt.value("--drain-timeout", "DURATION", Values::duration, "After the command exits, how long to"
                    + " keep relaying output that a background process holds open. Default: "
                    + Durations.format(AgentConfig.DEFAULT_DRAIN_TIMEOUT) + "."), AgentConfig.Builder::drainTimeout),
            last(Opt.value("--request-timeout", "DURATION", Values::duration, "How long a new connection may take"
                    + " to send its request. Default: " + Durations.format(AgentConfig.DEFAULT_REQUEST_TIMEOUT)
                    + "."), AgentConfig.Builder::requestTimeout),
            last(Opt.value("--max-pending", "N", text -> Values.count(text, 1), "Connections waiting for their"
                    + " request at once; one more closes the oldest. Default: " + AgentConfig.DEFAULT_MAX_PENDING + "."),
                    AgentConfig.Builder::maxPending),
            last(Opt.value("--handshake-timeout", "DURATION", Values::positiveDuration, "How long a client of a"
                    + " hybrid:// socket may take to send its CONNECT line. Default: "
                    + Durations.format(AgentConfig.DEFAULT_HANDSHAKE_TIMEOUT) + "."),
                    AgentConfig.Builder::handshakeTimeout),
            last(Opt.value("--stall-timeout", "DURATION", AgentOptions::timeoutOrNone, "Cancel a session whose host"
                    + " has read nothing for this long while output waits, as if it had gone; 'none' for never."
                    + " Default: " + Durations.format(AgentConfig.DEFAULT_STALL_TIMEOUT.duration()) + "."),
                    AgentConfig.Builder::stallTimeout),
            last(Opt.flag("--no-cgroups", "Do not give each session a cgroup of its own (done by default as root,"
                    + " where cgroup v2 can be used); end sessions through their process groups."),
                    (b, on) -> b.cgroups(false)),
            last(Opt.flag("--keep-cgroup-mount", "Leave the cgroup2 mount's options as they are. By default the"
                    + " agent mounts or remounts it with favordynmods (Linux 6.0 or later), so that moving a command"
                    + " into its session's cgroup does not wait for the kernel; forks and exits then cost a little"
                    + " more."), (b, on) -> b.favorDynmods(false)),
            last(Opt.flag("--allow-insecure-tcp", "Allow tcp:// on a non-loopback address: anyone who reaches it"
                    + " runs commands."), AgentConfig.Builder::allowInsecureTcp),
            last(Opt.flag("--subreaper", "Become a child subreaper and reap orphaned descendants (automatic as"
                    + " PID 1)."), AgentConfig.Builder::subreaper));

    private AgentOptions() {}

    /** The options, in the order help lists them. */
    static List<Opt<?>> options() {
        List<Opt<?>> options = new ArrayList<>();
        for (Setting<?> s : TABLE) {
            options.add(s.option());
        }
        return options;
    }

    /**
     * Sets on {@code builder} what {@code args} give.
     *
     * @throws IllegalArgumentException from the builder for a value it refuses
     */
    static AgentConfig.Builder configure(AgentConfig.Builder builder, Args args) {
        for (Setting<?> s : TABLE) {
            s.applyTo(builder, args);
        }
        return builder;
    }

    /** A positive duration, or {@code none}. */
    private static Timeout timeoutOrNone(String text) {
        return text.strip().equals("none") ? Timeout.NONE : Timeout.of(Values.positiveDuration(text));
    }

    /** A row whose every value goes to the builder at once (a repeatable option). */
    private static <T> Setting<T> all(Opt<T> option, BiConsumer<AgentConfig.Builder, List<T>> apply) {
        return new Setting<>(option, apply);
    }

    /** A row whose one value goes to the builder. */
    private static <T> Setting<T> last(Opt<T> option, BiConsumer<AgentConfig.Builder, T> apply) {
        return new Setting<>(option, (builder, values) -> apply.accept(builder, values.getLast()));
    }
}
