package io.vsockexec.vm;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A VM in the foreground, as {@code vsockexec vm} runs it: boots a guest, prints one line once its
 * agent is ready, and powers it off on SIGTERM or Ctrl-C (the JVM's shutdown), removing what it
 * created but the console log.
 *
 * <pre>vsockexec vm ready: exec hybrid://DIR/vm.sock:5000, ready hybrid://DIR/vm.sock:5002</pre>
 *
 * <p>The command line parses the options into a {@link VmConfig} and hands it here.
 */
public final class VmRunner {
    /** sysexits' EX_UNAVAILABLE: user-mode Linux cannot run here. */
    public static final int UNAVAILABLE = 69;
    /** The guest failed to boot, or stopped by itself. */
    public static final int FAILED = 1;

    private VmRunner() {}

    /**
     * Runs the VM until the guest stops, or until the JVM shuts down (a signal), which powers it
     * off. Failures are one line on {@code err}, {@code vsockexec: WHAT HAPPENED}.
     *
     * @return {@link #UNAVAILABLE} where user-mode Linux cannot run, {@link #FAILED} when the guest
     *     fails to boot or stops by itself; on a signal the JVM ends with its own status for it
     */
    public static int run(VmConfig config, PrintStream out, PrintStream err) {
        UmlVm vm;
        try {
            vm = UmlVm.start(config);
        } catch (VmUnavailableException e) {
            err.println("vsockexec: user-mode Linux cannot run here: " + e.getMessage());
            return UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            err.println("vsockexec: " + e.getMessage());
            return FAILED;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            vm.close();
        }, "vsockexec-vm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            vm.awaitReady();
            out.println("vsockexec vm ready: exec " + vm.execEndpoint() + ", ready " + vm.readyEndpoint());
            out.flush();
            int status;
            while ((status = vm.awaitExit(Duration.ofDays(1))) < 0) {
                // keep running until the guest stops or a signal ends this process
            }
            if (!stopping.get()) {
                err.println("vsockexec: the guest stopped (kernel exit status " + status + "); console: "
                        + config.consoleLog());
            }
            return FAILED;
        } catch (IOException | RuntimeException e) {
            if (!stopping.get()) {
                err.println("vsockexec: " + e.getMessage());
            }
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            if (!Thread.currentThread().isInterrupted()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    vm.close();
                } catch (IllegalStateException shuttingDown) {
                    // the hook closes it
                }
            }
        }
    }
}
