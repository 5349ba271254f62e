package io.vsockexec.bench;

import io.vsockexec.base.ByteCopy;
import io.vsockexec.base.Deadline;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 11: a download through {@code vsockexec port-forward} (the command line as users run it, and
 * the agent), against a plain relay of the same bytes with the same hops in this process. A TCP
 * service here sends as many zero bytes as the client asks for (an 8-byte count first); the client
 * drains them. Forwarded: client, TCP to the CLI, the transport to the agent, TCP to the service.
 * Baseline: client, TCP to a relay, the same transport to a second relay, TCP to the service; each
 * relay copies both ways with the copy the CLI and the agent use ({@link ByteCopy}), on virtual
 * threads as they do, and passes the end of each stream on. The ratio is what the forward costs over
 * moving the same bytes through the same sockets: two more processes and the PortForward
 * handshake per connection. Rounds alternate as rows 2 and 3 do ({@link Throughput#alternate}).
 */
final class ForwardThroughput {
    /** The row's number (row 10 is the agent's memory under abuse). */
    static final int ROW = 11;
    static final String MEASUREMENT = "port-forward throughput: a download through `vsockexec port-forward`";
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final String LINE_PREFIX = "Forwarding from ";

    private ForwardThroughput() {}

    /**
     * Row 11.
     *
     * @param cliCommand how users run the command line: the launcher, without arguments
     */
    static Row measure(List<String> cliCommand, List<String> agentCommand, BenchSizes sizes,
            BenchTransport transport, Path dir) throws IOException, InterruptedException {
        long bytes = sizes.streamBytes();
        try (TcpService service = TcpService.start(ForwardThroughput::sendZeros);
                AgentProcess agent = AgentProcess.start(agentCommand, transport, dir, 0)) {
            agent.awaitReady();
            Process cli = startForward(cliCommand, agent.endpoint(), service.port(), dir);
            try (ServerSocket front = loopbackServer();
                    Listener middle = Transports.listen(transport.endpoints(dir, "forward-baseline").exec())) {
                int forwarded = forwardedPort(cli);
                Thread.ofVirtual().name("bench relay chain").start(() -> relayChain(front, middle,
                        service.port()));
                return Throughput.alternate(ROW, MEASUREMENT + ", " + Figures.size(bytes), bytes,
                        "same bytes relayed raw over TCP, " + transport.label() + ", TCP in this process",
                        (n, round) -> download(front.getLocalPort(), n),
                        (n, round) -> download(forwarded, n));
            } finally {
                cli.destroy();
                cli.waitFor();
            }
        }
    }

    /** {@code cliCommand port-forward --connect AGENT :PORT}, its stderr in {@code port-forward.log}. */
    private static Process startForward(List<String> cliCommand, Endpoint agent, int port, Path dir)
            throws IOException {
        List<String> argv = new ArrayList<>(cliCommand);
        argv.addAll(List.of("port-forward", "--connect", agent.toString(), ":" + port));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("port-forward.log").toFile()));
        builder.environment().put("VSOCKEXEC_SKIP_BUILD", "1");
        return builder.start();
    }

    /** The local port of the CLI's {@code Forwarding from 127.0.0.1:PORT -> ...} line. */
    private static int forwardedPort(Process cli) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith(LINE_PREFIX) || !line.contains(" -> ")) {
            throw new IOException("port-forward printed " + line + " instead of its Forwarding line");
        }
        String listen = line.substring(LINE_PREFIX.length(), line.indexOf(" -> "));
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    /** One timed download of {@code bytes} from 127.0.0.1:port, checked for length. */
    private static long download(int port, long bytes) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) LIMIT.toMillis());
            new DataOutputStream(s.getOutputStream()).writeLong(bytes);
            long received = ByteCopy.copy(s.getInputStream(), OutputStream.nullOutputStream());
            if (received != bytes) {
                throw new IOException("received " + received + " bytes of " + bytes + " through port " + port);
            }
        }
        return System.nanoTime() - start;
    }

    /** The service's one connection: reads a count and sends that many zero bytes, then closes. */
    private static void sendZeros(Socket s) throws IOException {
        long left = new DataInputStream(s.getInputStream()).readLong();
        byte[] zeros = new byte[Throughput.RELAY_BUFFER];
        OutputStream out = s.getOutputStream();
        while (left > 0) {
            int n = (int) Math.min(zeros.length, left);
            out.write(zeros, 0, n);
            left -= n;
        }
    }

    /** The baseline's relays: for each client of {@code front}, a chain through {@code middle} to the service. */
    private static void relayChain(ServerSocket front, Listener middle, int servicePort) {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                Connection out = Transports.dial(middle.endpoint(), Deadline.after(LIMIT));
                Connection in = middle.accept(Deadline.after(LIMIT));
                Socket service = new Socket(InetAddress.getLoopbackAddress(), servicePort);
                relay(End.of(client), End.of(out));
                relay(End.of(in), End.of(service));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** What ends a direction: the half-close the CLI and the agent pass on. */
    @FunctionalInterface
    private interface Shutdown {
        void run() throws IOException;
    }

    /** One side of a relay: its streams, its half-close, and what closes it. */
    private record End(InputStream in, OutputStream out, Shutdown shutdown, AutoCloseable owner) {
        static End of(Socket s) throws IOException {
            return new End(s.getInputStream(), s.getOutputStream(), s::shutdownOutput, s);
        }

        static End of(Connection c) {
            return new End(c.input(), c.output(), c::shutdownOutput, c);
        }
    }

    /** Copies both ways between {@code a} and {@code b}, each on a virtual thread; closes both once both have ended. */
    private static void relay(End a, End b) {
        Thread.ofVirtual().name("bench relay").start(() -> {
            Thread other = Thread.ofVirtual().name("bench relay").start(() -> copy(a, b));
            copy(b, a);
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(a.owner());
            closeQuietly(b.owner());
        });
    }

    private static void copy(End from, End to) {
        try {
            ByteCopy.copy(from.in(), to.out());
            to.shutdown().run();
        } catch (IOException e) {
            // A relay that failed is torn down; the download it served reports the short count.
            closeQuietly(from.owner());
            closeQuietly(to.owner());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing what failed may fail again; it is closed all the same.
        }
    }

    private static ServerSocket loopbackServer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }
}
