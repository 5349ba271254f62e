package io.vsockexec.client;

import io.vsockexec.base.Timeout;
import io.vsockexec.protocol.FrameDescriptor;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link VsockExecClient} connects and reads. Immutable; each {@code with} method returns a
 * modified copy.
 *
 * @param connectTimeout the limit on connecting to the agent, the hybrid handshake included;
 *     {@link Timeout#NONE} for none (a command's own {@link Command#timeout()} still applies)
 * @param maxFrame the largest frame payload accepted from the agent and sent to it; it also caps
 *     what a buffered exec can return. Should match the agent's limit. (The frames that carry a
 *     file, up to 16 MiB in base64, have a limit of their own, at least 22,435,160 bytes.)
 * @param callTimeout the limit on each call that is not a command (a file write, read or listing;
 *     opening a port forward), connecting included; {@link Timeout#NONE} (the default) for none. A
 *     command's limit is its own, {@link Command#timeout()}.
 * @param jdkChannels whether a connection that only the calling platform thread reads and writes
 *     (a buffered exec, a stream, a copy) is dialed through the JDK's own socket channels rather
 *     than the native layer: a process that has not linked its native calls yet then connects
 *     sooner, which suits a short-lived one such as a command line; but every byte it reads is
 *     copied once more, so a long-lived process streams faster without (the default). Vsock
 *     endpoints always use the native layer.
 */
public record ClientOptions(Timeout connectTimeout, int maxFrame, Timeout callTimeout, boolean jdkChannels) {
    /** The default connect limit: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final ClientOptions DEFAULTS =
            new ClientOptions(Timeout.of(DEFAULT_CONNECT_TIMEOUT), FrameDescriptor.DEFAULT_MAX_PAYLOAD, Timeout.NONE, false);

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException if {@code maxFrame} is not positive or too large for an array
     */
    public ClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        FrameDescriptor.checkMaxPayload("maxFrame", maxFrame);
        Objects.requireNonNull(callTimeout, "callTimeout");
    }

    /** Options that dial through the native layer. */
    public ClientOptions(Timeout connectTimeout, int maxFrame, Timeout callTimeout) {
        this(connectTimeout, maxFrame, callTimeout, false);
    }

    /** Options with no limit on calls that are not commands, dialing through the native layer. */
    public ClientOptions(Timeout connectTimeout, int maxFrame) {
        this(connectTimeout, maxFrame, Timeout.NONE);
    }

    /**
     * A 10-second connect limit, the protocol's default frame limit of 16 MiB, no call limit, the
     * native layer for every connection.
     */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** These options with a connect limit; {@link Timeout#NONE} for none. */
    public ClientOptions withConnectTimeout(Timeout limit) {
        return new ClientOptions(limit, maxFrame, callTimeout, jdkChannels);
    }

    /**
     * These options with a connect limit.
     *
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public ClientOptions withConnectTimeout(Duration limit) {
        return withConnectTimeout(Timeout.of(limit));
    }

    /** These options with a frame payload limit, in bytes. */
    public ClientOptions withMaxFrame(int bytes) {
        return new ClientOptions(connectTimeout, bytes, callTimeout, jdkChannels);
    }

    /** These options with a limit on each call that is not a command; {@link Timeout#NONE} for none. */
    public ClientOptions withCallTimeout(Timeout limit) {
        return new ClientOptions(connectTimeout, maxFrame, limit, jdkChannels);
    }

    /**
     * These options with a limit on each call that is not a command.
     *
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public ClientOptions withCallTimeout(Duration limit) {
        return withCallTimeout(Timeout.of(limit));
    }

    /**
     * These options dialing, or not, through the JDK's channels where only the calling platform
     * thread uses a connection (see {@link #jdkChannels()}).
     */
    public ClientOptions withJdkChannels(boolean jdk) {
        return new ClientOptions(connectTimeout, maxFrame, callTimeout, jdk);
    }
}
