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
 *     what a buffered exec can return. Should match the agent's limit.
 */
public record ClientOptions(Timeout connectTimeout, int maxFrame) {
    /** The default connect limit: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final ClientOptions DEFAULTS =
            new ClientOptions(Timeout.of(DEFAULT_CONNECT_TIMEOUT), FrameDescriptor.DEFAULT_MAX_PAYLOAD);

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException if {@code maxFrame} is not positive or too large for an array
     */
    public ClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        FrameDescriptor.checkMaxPayload("maxFrame", maxFrame);
    }

    /** A 10-second connect limit and the protocol's default frame limit of 16 MiB. */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** These options with a connect limit; {@link Timeout#NONE} for none. */
    public ClientOptions withConnectTimeout(Timeout limit) {
        return new ClientOptions(limit, maxFrame);
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
        return new ClientOptions(connectTimeout, bytes);
    }
}
