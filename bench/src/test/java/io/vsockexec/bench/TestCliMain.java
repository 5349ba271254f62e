package io.vsockexec.bench;

import io.vsockexec.base.ByteCopy;
import io.vsockexec.client.Command;
import io.vsockexec.client.ForwardedConnection;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A command line for the smoke test, run as the benchmark runs {@code vsockexec}: {@code agent
 * OPTIONS} starts {@link TestAgentMain}'s agent, {@code exec --connect ENDPOINT -- WORD...} runs
 * the words through the SDK, {@code --version} prints a line, {@code cp --connect ENDPOINT SRC DST} copies through the SDK, {@code port-forward --connect
 * ENDPOINT :PORT} forwards each connection to a free local port through the SDK until killed. (The
 * real command lives in the module above this one.)
 */
public final class TestCliMain {
    private TestCliMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "agent" -> TestAgentMain.main(Arrays.copyOfRange(args, 1, args.length));
            case "--version" -> System.out.println("test cli");
            case "exec" -> System.exit(VsockExecClient.of(Endpoint.parse(args[2]))
                    .stream(Command.argv(Arrays.asList(args).subList(4, args.length)), System.out, System.err)
                    .exitCode());
            case "cp" -> copy(VsockExecClient.of(Endpoint.parse(args[2])), args[3], args[4]);
            case "port-forward" -> forward(Endpoint.parse(args[2]), Integer.parseInt(args[3].substring(1)));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** {@code cp --connect ENDPOINT SRC DST}: one of them in the VM, with a leading colon. */
    private static void copy(VsockExecClient client, String source, String dest) throws IOException {
        if (dest.startsWith(":")) {
            client.copyTo(Path.of(source), dest.substring(1));
        } else {
            client.copyFrom(source.substring(1), Path.of(dest));
        }
    }

    private static void forward(Endpoint agent, int port) throws IOException {
        VsockExecClient client = VsockExecClient.of(agent);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("Forwarding from 127.0.0.1:" + server.getLocalPort() + " -> 127.0.0.1:" + port);
            System.out.flush();
            while (true) {
                Socket local = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (local; ForwardedConnection remote = client.forward(port)) {
                        Thread up = Thread.ofVirtual().start(() -> {
                            try {
                                ByteCopy.copy(local.getInputStream(), remote.output());
                                remote.shutdownOutput();
                            } catch (IOException e) {
                                // The download that needed it fails with its own count.
                            }
                        });
                        ByteCopy.copy(remote.input(), local.getOutputStream());
                        local.shutdownOutput();
                        up.join();
                    } catch (IOException | InterruptedException e) {
                        // As above.
                    }
                });
            }
        }
    }
}
