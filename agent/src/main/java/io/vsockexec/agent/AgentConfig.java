package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.base.Timeout;
import io.vsockexec.protocol.FrameDescriptor;
import io.vsockexec.transport.Endpoint;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@link Agent} runs. Build one with {@link #builder()}; every value has a default, and
 * the constructor rejects bad values with a message that names them.
 *
 * @param listen where sessions are served; at least one
 * @param ready readiness endpoints: each accepts a connection and closes it at once, so a
 *     successful connect means the agent is serving; may be empty
 * @param grace how long a cancelled session's processes get between SIGTERM and SIGKILL; may be zero
 * @param maxSessions how many sessions may run at once; more are answered "agent busy"
 * @param maxFrame the largest frame payload read or written, in bytes; also bounds the output an
 *     {@code Exec} request may buffer
 * @param drainTimeout after the process exits, how long output is still relayed while something
 *     else (a background child) keeps its stdout or terminal open; may be zero
 * @param requestTimeout how long a new connection may take to send its complete request
 * @param maxMemory the agent's memory ceiling, in bytes: the launcher sizes the JVM from it (see
 *     docs/AGENT.md), and the agent buffers within the heap it got, or within this much if the
 *     heap is larger (an agent in a host's JVM)
 * @param maxPending how many connections may wait for their request at once; a new one beyond
 *     closes the oldest
 * @param handshakeTimeout how long a client of an emulated hybrid VM socket ({@code hybrid://})
 *     may take to send its {@code CONNECT} line
 * @param stallTimeout how long a session's output may wait for a host that reads nothing before
 *     the session is cancelled as if the host had gone; {@link Timeout#NONE} for never
 * @param cgroups whether to run each session in a cgroup of its own where cgroup v2 can be used
 *     (as root), so that cancelling it kills every process it started; where it cannot, or
 *     without, the agent falls back to process groups and a walk of the session's descendants
 * @param favorDynmods whether the agent, where it runs sessions in cgroups, mounts or remounts the
 *     cgroup2 hierarchy with {@code favordynmods} (Linux 6.0 and later), so that moving a command
 *     into its session's cgroup does not wait for an RCU grace period (docs/AGENT.md); false leaves
 *     a mount's options as they are
 * @param allowInsecureTcp whether a {@code tcp://} endpoint may listen on a non-loopback address
 * @param subreaper whether to become a child subreaper and reap orphaned descendants (done
 *     anyway when the agent is PID 1)
 * @param log where the one line per session and the agent's notices go; never sees environment
 *     values or input
 */
public record AgentConfig(List<Endpoint> listen, List<Endpoint> ready, Duration grace, int maxSessions,
        int maxFrame, Duration drainTimeout, Duration requestTimeout, long maxMemory, int maxPending,
        Duration handshakeTimeout, Timeout stallTimeout, boolean cgroups, boolean favorDynmods,
        boolean allowInsecureTcp, boolean subreaper, Log log) {

    /** The Go reference's exec port, on every CID. */
    public static final String DEFAULT_LISTEN = "vsock://any:5000";
    /** The Go reference's readiness port, on every CID. */
    public static final String DEFAULT_READY = "vsock://any:5002";
    /** Between SIGTERM and SIGKILL, as in the Go agent. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Sessions at once. */
    public static final int DEFAULT_MAX_SESSIONS = 256;
    /** The protocol's default frame limit, 16 MiB. */
    public static final int DEFAULT_MAX_FRAME = FrameDescriptor.DEFAULT_MAX_PAYLOAD;
    /** How long output held open by a background child is still relayed. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);
    /** How long a connection may take to send its request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Connections waiting for their request at once. */
    public static final int DEFAULT_MAX_PENDING = 1024;
    /** How long a hybrid client may take to send its {@code CONNECT} line, as in Firecracker's own. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long output may wait for a host that reads nothing: long enough that no pause a person
     * makes (a pager left open, a suspended client) kills a command, short enough that a host
     * that hung does not hold its session for good. See docs/AGENT.md.
     */
    public static final Timeout DEFAULT_STALL_TIMEOUT = Timeout.of(Duration.ofMinutes(10));
    /**
     * The memory ceiling, 96 MiB: a heap that holds the largest reply (of a 16 MiB frame) and half
     * as much again for other sessions, beside the 44 MiB the JVM itself takes; the agent idles at
     * about half of it (docs/AGENT.md). The launcher's {@code agent-jvm.sh} has the same default,
     * and derives the JVM's settings from it.
     */
    public static final long DEFAULT_MAX_MEMORY = 96L << 20;
    /** The smallest memory ceiling: below it the JVM leaves no heap to speak of. */
    public static final long MIN_MAX_MEMORY = 64L << 20;
    /**
     * The smallest {@code maxFrame}: requests with a few environment variables must fit, and an
     * {@code Exec} reply needs room for its JSON around the output.
     */
    public static final int MIN_MAX_FRAME = 64 * 1024;
    /** The largest {@code maxFrame}: 1 GiB, far beyond any useful frame, and safely an array size. */
    public static final int MAX_MAX_FRAME = 1 << 30;
    /** The largest {@code maxSessions}: each session holds at least two threads and three descriptors. */
    public static final int MAX_MAX_SESSIONS = 65_536;
    /** The largest {@code maxPending}: each pending connection holds a descriptor and a parked thread. */
    public static final int MAX_MAX_PENDING = 65_536;

    /**
     * @throws IllegalArgumentException naming the bad value
     */
    public AgentConfig {
        listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
        ready = List.copyOf(Objects.requireNonNull(ready, "ready"));
        Objects.requireNonNull(log, "log");
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("at least one listen endpoint is needed");
        }
        checkDistinct(listen, ready);
        nonNegative("grace", grace);
        nonNegative("drain timeout", drainTimeout);
        nonNegative("request timeout", requestTimeout);
        if (requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        nonNegative("handshake timeout", handshakeTimeout);
        if (handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeout);
        }
        if (maxSessions < 1 || maxSessions > MAX_MAX_SESSIONS) {
            throw new IllegalArgumentException(
                    "max sessions must be 1 to " + MAX_MAX_SESSIONS + ": " + maxSessions);
        }
        if (maxPending < 1 || maxPending > MAX_MAX_PENDING) {
            throw new IllegalArgumentException(
                    "max pending must be 1 to " + MAX_MAX_PENDING + ": " + maxPending);
        }
        Objects.requireNonNull(stallTimeout, "stall timeout");
        FrameDescriptor.checkMaxPayload("max frame", maxFrame, MIN_MAX_FRAME, MAX_MAX_FRAME);
        if (maxMemory < MIN_MAX_MEMORY) {
            throw new IllegalArgumentException("max memory must be at least " + (MIN_MAX_MEMORY >> 20) + " MiB: "
                    + maxMemory + " bytes");
        }
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The defaults: {@value #DEFAULT_LISTEN} and {@value #DEFAULT_READY}, logging to stderr. */
    public static AgentConfig defaults() {
        return builder().build();
    }

    private static void nonNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

    private static void checkDistinct(List<Endpoint> listen, List<Endpoint> ready) {
        Set<String> seen = new HashSet<>();
        for (Endpoint e : listen) {
            if (!seen.add(Objects.requireNonNull(e, "listen endpoint").toString())) {
                throw new IllegalArgumentException("endpoint given twice: " + e);
            }
        }
        for (Endpoint e : ready) {
            if (!seen.add(Objects.requireNonNull(e, "ready endpoint").toString())) {
                throw new IllegalArgumentException("endpoint given twice: " + e);
            }
        }
    }

    /** The agent's default log: lines on stderr, prefixed with {@code vsockexec agent: }. */
    public static Log stderrLog() {
        return Log.stderr("vsockexec agent");
    }

    /** Builds an {@link AgentConfig}; each setter replaces one value. */
    public static final class Builder {
        private List<Endpoint> listen = List.of(Endpoint.parse(DEFAULT_LISTEN));
        private List<Endpoint> ready = List.of(Endpoint.parse(DEFAULT_READY));
        private Duration grace = DEFAULT_GRACE;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private int maxFrame = DEFAULT_MAX_FRAME;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private long maxMemory = DEFAULT_MAX_MEMORY;
        private int maxPending = DEFAULT_MAX_PENDING;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Timeout stallTimeout = DEFAULT_STALL_TIMEOUT;
        private boolean cgroups = true;
        private boolean favorDynmods = true;
        private boolean allowInsecureTcp;
        private boolean subreaper;
        private Log log = stderrLog();

        private Builder() {}

        private Builder(AgentConfig c) {
            listen = c.listen;
            ready = c.ready;
            grace = c.grace;
            maxSessions = c.maxSessions;
            maxFrame = c.maxFrame;
            drainTimeout = c.drainTimeout;
            requestTimeout = c.requestTimeout;
            maxMemory = c.maxMemory;
            maxPending = c.maxPending;
            handshakeTimeout = c.handshakeTimeout;
            stallTimeout = c.stallTimeout;
            cgroups = c.cgroups;
            favorDynmods = c.favorDynmods;
            allowInsecureTcp = c.allowInsecureTcp;
            subreaper = c.subreaper;
            log = c.log;
        }

        /** Where sessions are served; default {@value AgentConfig#DEFAULT_LISTEN}. */
        public Builder listen(List<Endpoint> endpoints) {
            this.listen = endpoints;
            return this;
        }

        /** Where sessions are served. */
        public Builder listen(Endpoint... endpoints) {
            return listen(List.of(endpoints));
        }

        /** Readiness endpoints; default {@value AgentConfig#DEFAULT_READY}; empty for none. */
        public Builder ready(List<Endpoint> endpoints) {
            this.ready = endpoints;
            return this;
        }

        /** Readiness endpoints. */
        public Builder ready(Endpoint... endpoints) {
            return ready(List.of(endpoints));
        }

        /** Between SIGTERM and SIGKILL of a cancelled session; default 5 s. */
        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /** Sessions at once; default 256. */
        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /** The largest frame payload in bytes; default 16 MiB. */
        public Builder maxFrame(int maxFrame) {
            this.maxFrame = maxFrame;
            return this;
        }

        /** How long output is relayed after the command exited while a background child holds it; default 2 s. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /** How long a new connection may take to send its request; default 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** The agent's memory ceiling in bytes; default 96 MiB. */
        public Builder maxMemory(long maxMemory) {
            this.maxMemory = maxMemory;
            return this;
        }

        /** Connections waiting for their request at once; default 1024. */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /** How long a hybrid client may take to send its {@code CONNECT} line; default 5 s. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /**
         * How long a session's output may wait for a host that reads nothing before the session
         * is cancelled; default 10 minutes; {@link Timeout#NONE} for never.
         */
        public Builder stallTimeout(Timeout stallTimeout) {
            this.stallTimeout = stallTimeout;
            return this;
        }

        /** Whether to run sessions in cgroups of their own where cgroup v2 can be used; default yes. */
        public Builder cgroups(boolean cgroups) {
            this.cgroups = cgroups;
            return this;
        }

        /**
         * Whether to mount or remount the cgroup2 hierarchy with {@code favordynmods} where
         * sessions run in cgroups; default yes; no leaves a mount's options as they are.
         */
        public Builder favorDynmods(boolean favorDynmods) {
            this.favorDynmods = favorDynmods;
            return this;
        }

        /** Whether {@code tcp://} may listen on a non-loopback address; default no. */
        public Builder allowInsecureTcp(boolean allow) {
            this.allowInsecureTcp = allow;
            return this;
        }

        /** Whether to become a child subreaper and reap orphans; default no (but always as PID 1). */
        public Builder subreaper(boolean subreaper) {
            this.subreaper = subreaper;
            return this;
        }

        /** Where session lines and notices go; default {@link AgentConfig#stderrLog()}. */
        public Builder log(Log log) {
            this.log = log;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the bad value
         */
        public AgentConfig build() {
            return new AgentConfig(listen, ready, grace, maxSessions, maxFrame, drainTimeout, requestTimeout,
                    maxMemory, maxPending, handshakeTimeout, stallTimeout, cgroups, favorDynmods, allowInsecureTcp, subreaper,
                    log);
        }
    }
}
