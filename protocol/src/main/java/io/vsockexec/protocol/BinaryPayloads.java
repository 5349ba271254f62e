package io.vsockexec.protocol;

/** The fixed binary payloads: Resize, Signal and Exit. */
public final class BinaryPayloads {
    private static final int SMALLEST_SIGNAL = 1;
    private static final int LARGEST_SIGNAL = 64;

    private BinaryPayloads() {}

    /** The Resize payload: 4 bytes, rows then columns, each unsigned 16-bit big-endian. */
    public static byte[] encode(WindowSize size) {
        return new byte[] {
            (byte) (size.rows() >>> 8), (byte) size.rows(), (byte) (size.cols() >>> 8), (byte) size.cols()
        };
    }

    /** Reads a Resize payload, which must be exactly 4 bytes. */
    public static WindowSize decodeWindowSize(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 4, "Resize");
        return new WindowSize(u16(payload, 0), u16(payload, 2));
    }

    /**
     * The Signal payload: 1 byte, the signal number.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     */
    public static byte[] encodeSignal(int signal) {
        return new byte[] {(byte) checkSignal(signal)};
    }

    /** Reads a Signal payload, which must be exactly 1 byte holding 1 to 64. */
    public static int decodeSignal(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 1, "Signal");
        try {
            return checkSignal(Byte.toUnsignedInt(payload[0]));
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("invalid Signal payload: " + e.getMessage());
        }
    }

    /** The Exit payload: 4 bytes, the exit code as a signed 32-bit big-endian number (-1 is {@code ff ff ff ff}). */
    public static byte[] encodeExitCode(int exitCode) {
        return new byte[] {(byte) (exitCode >>> 24), (byte) (exitCode >>> 16), (byte) (exitCode >>> 8), (byte) exitCode};
    }

    /** Reads an Exit payload, which must be exactly 4 bytes; {@code ff ff ff ff} is -1, as the Go agent means it. */
    public static int decodeExitCode(byte[] payload) throws CorruptFrameException {
        checkLength(payload, 4, "Exit");
        return (u16(payload, 0) << 16) | u16(payload, 2);
    }

    /** {@code signal} if it is a valid signal number, 1 to 64. */
    static int checkSignal(int signal) {
        if (signal < SMALLEST_SIGNAL || signal > LARGEST_SIGNAL) {
            throw new IllegalArgumentException(
                    "signal number must be between " + SMALLEST_SIGNAL + " and " + LARGEST_SIGNAL + ", got " + signal);
        }
        return signal;
    }

    private static void checkLength(byte[] payload, int expected, String what) throws CorruptFrameException {
        if (payload.length != expected) {
            throw new CorruptFrameException(
                    "invalid " + what + " payload: must be " + expected + " bytes, got " + payload.length);
        }
    }

    private static int u16(byte[] b, int offset) {
        return (Byte.toUnsignedInt(b[offset]) << 8) | Byte.toUnsignedInt(b[offset + 1]);
    }
}
