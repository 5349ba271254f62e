package io.vsockexec.nativeio;

/**
 * How a child process ended: it {@linkplain Exited exited} with a code, or was
 * {@linkplain Signaled killed} by a signal.
 */
public sealed interface ExitStatus {

    /** The process called exit with {@code code} (0 to 255). */
    static ExitStatus exited(int code) {
        return new Exited(code);
    }

    /** The process was killed by {@code signal}. */
    static ExitStatus signaled(int signal) {
        return new Signaled(signal);
    }

    /** The status a shell would report in {@code $?}: the exit code, or 128 + the signal number. */
    int shellCode();

    /** The process exited by itself. */
    record Exited(int code) implements ExitStatus {
        public Exited {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("exit code must be 0 to 255: " + code);
            }
        }

        @Override
        public int shellCode() {
            return code;
        }

        @Override
        public String toString() {
            return "exited(" + code + ")";
        }
    }

    /** The process was terminated by a signal. */
    record Signaled(int signal) implements ExitStatus {
        public Signaled {
            if (signal < 1 || signal > Signals.MAX) {
                throw new IllegalArgumentException("signal must be 1 to " + Signals.MAX + ": " + signal);
            }
        }

        @Override
        public int shellCode() {
            return 128 + signal;
        }

        @Override
        public String toString() {
            return "signaled(" + Signals.name(signal) + ")";
        }
    }
}
