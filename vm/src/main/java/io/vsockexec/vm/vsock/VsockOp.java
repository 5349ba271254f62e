package io.vsockexec.vm.vsock;

/** The operations of a virtio-vsock packet (virtio 1.2, section 5.10.6). */
enum VsockOp {
    INVALID(0),
    REQUEST(1),
    RESPONSE(2),
    RST(3),
    SHUTDOWN(4),
    RW(5),
    CREDIT_UPDATE(6),
    CREDIT_REQUEST(7);

    private static final VsockOp[] BY_CODE = values();

    private final int code;

    VsockOp(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The operation numbered {@code code}; {@link #INVALID} for any number not defined. */
    static VsockOp of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : INVALID;
    }
}
