package com.example.quickstart;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.Readiness;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Runs two commands in a VM through its agent: one buffered, one streamed.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... com.example.quickstart.Quickstart \
 *     hybrid:///srv/vm1/v.sock:5000 hybrid:///srv/vm1/v.sock:5002</pre>
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Quickstart EXEC_ENDPOINT READY_ENDPOINT");
            System.err.println("  e.g. hybrid:///srv/vm1/v.sock:5000 hybrid:///srv/vm1/v.sock:5002");
            System.exit(2);
        }
        // A VM that is still booting: wait until its agent accepts on the readiness port.
        Readiness.await(Endpoint.parse(args[1]), Duration.ofSeconds(30));
        System.exit(run(Endpoint.parse(args[0]), System.out));
    }

    /**
     * Prints the guest's kernel, from a buffered exec, then streams a small build's output to
     * {@code out} as it is written.
     *
     * @return the streamed command's exit code
     */
    public static int run(Endpoint exec, PrintStream out) throws IOException {
        VsockExecClient vm = VsockExecClient.of(exec);

        ExecResult uname = vm.exec(Command.argv("uname", "-sr").withTimeout(Duration.ofSeconds(30)));
        out.print("kernel: " + uname.stdoutText());

        Command build = Command.shell("echo building; echo done")
                .withEnv("CI", "1")
                .withWorkingDir("/tmp")
                .withTimeout(Duration.ofMinutes(10));
        return vm.stream(build, out, System.err).exitCode();
    }
}
