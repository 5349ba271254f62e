package io.vsockexec.vm.vhost;

/**
 * The front-end's requests this back-end knows (vhost-user, QEMU's {@code docs/interop/vhost-user.rst}),
 * with their numbers. Any other number is answered as a protocol error.
 */
enum VhostRequest {
    GET_FEATURES(1),
    SET_FEATURES(2),
    SET_OWNER(3),
    RESET_OWNER(4),
    SET_MEM_TABLE(5),
    SET_LOG_BASE(6),
    SET_LOG_FD(7),
    SET_VRING_NUM(8),
    SET_VRING_ADDR(9),
    SET_VRING_BASE(10),
    GET_VRING_BASE(11),
    SET_VRING_KICK(12),
    SET_VRING_CALL(13),
    SET_VRING_ERR(14),
    GET_PROTOCOL_FEATURES(15),
    SET_PROTOCOL_FEATURES(16),
    GET_QUEUE_NUM(17),
    SET_VRING_ENABLE(18),
    SET_BACKEND_REQ_FD(21),
    GET_CONFIG(24),
    SET_CONFIG(25);

    private static final VhostRequest[] BY_CODE = new VhostRequest[26];

    static {
        for (VhostRequest r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;

    VhostRequest(int code) {
        this.code = code;
    }

    /** The request's number on the wire. */
    int code() {
        return code;
    }

    /** The request numbered {@code code}, or null for one this back-end does not know. */
    static VhostRequest of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True for requests answered with a payload of their own rather than an optional acknowledgement. */
    boolean hasReply() {
        return this == GET_FEATURES || this == GET_PROTOCOL_FEATURES || this == GET_VRING_BASE
                || this == GET_QUEUE_NUM || this == GET_CONFIG;
    }
}
