package io.vsockexec.vm;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code vsockexec vm} in the foreground: boots a guest, prints one line once its agent is
 * ready, and powers it off on SIGTERM or Ctrl-C (the JVM's shutdown), removing what it created
 * but the console log.
 *
 * <pre>vsockexec vm ready: exec hybrid://DIR/vm.sock:5000, ready hybrid://DIR/vm.sock:5002</pre>
 *
 * <p>Exit status: 2 for bad options, 69 (EX_UNAVAILABLE) where user-mode Linux cannot run, 1
 * when the guest fails to boot or stops by itself; on a signal, the JVM's own status for it.
 */
public final class VmMain {
    /** sysexits' EX_UNAVAILABLE: user-mode Linux cannot run here. */
    public static final int UNAVAILABLE = 69;
    static final int USAGE = 2;

    private VmMain() {}

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Runs the VM until it stops; the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        VmConfig config;
        try {
            config = VmOptions.parse(args).config();
        } catch (IllegalArgumentException e) {
            err.println("vsockexec vm: " + e.getMessage());
            err.println(VmOptions.USAGE);
            return USAGE;
        }
        UmlVm vm;
        try {
            vm = UmlVm.start(config);
        } catch (VmUnavailableException e) {
            err.println("vsockexec vm: user-mode Linux cannot run here: " + e.getMessage());
            return UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            err.println("vsockexec vm: " + e.getMessage());
            return 1;
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
                err.println("vsockexec vm: the guest stopped (kernel exit status " + status + "); console: "
                        + config.consoleLog());
            }
            return 1;
        } catch (IOException | RuntimeException e) {
            if (!stopping.get()) {
                err.println("vsockexec vm: " + e.getMessage());
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
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
