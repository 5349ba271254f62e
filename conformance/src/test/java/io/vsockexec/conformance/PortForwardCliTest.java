package io.vsockexec.conformance;

import static io.vsockexec.conformance.CliPortForwardConformance.connect;
import static io.vsockexec.conformance.CliPortForwardConformance.downloadsAtOnce;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.TcpService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code vsockexec port-forward --connect local}, in a JVM of its own, to HTTP servers on this
 * machine (the agent's machine, since the local agent runs inside the CLI): the acceptance's
 * concurrent downloads on two mappings at once, and Ctrl-C closing the connections it forwards. What
 * every agent must do for the command line is in {@link CliPortForwardConformance}; bad command
 * lines are the CLI module's tests.
 */
class PortForwardCliTest {
    private static final int MIB = 1 << 20;

    @Test
    void fourConcurrent32MiBDownloadsArriveIntactWhileASecondMappingServesToo() throws Exception {
        byte[] big = random(32 * MIB, 1);
        byte[] small = random(4 * MIB, 2);
        try (TcpService first = TcpService.start(HttpService.of(big));
                TcpService second = TcpService.start(HttpService.of(small));
                PortForwardCli cli = PortForwardCli.start("local", ":" + first.port(), ":" + second.port())) {
            CompletableFuture<List<String>> alongside = CompletableFuture.supplyAsync(() -> {
                try {
                    return downloadsAtOnce(cli.localPort(1), 4);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(downloadsAtOnce(cli.localPort(0), 4)).containsExactly(sha(big), sha(big), sha(big), sha(big));
            assertThat(alongside.get(PortForwardCli.PATIENCE.toSeconds(), TimeUnit.SECONDS)).containsOnly(sha(small));
            assertThat(cli.stop()).isZero();
            assertThat(cli.errLines()).isEmpty();
        }
    }

    @Test
    void stoppingItClosesEveryConnectionItForwardsAndExitsZero() throws Exception {
        try (TcpService echo = TcpService.start(TcpService::echo);
                PortForwardCli cli = PortForwardCli.start("local", ":" + echo.port())) {
            Socket a = connect(cli.localPort(0));
            Socket b = connect(cli.localPort(0));
            assertThat(echoed(a, "a")).isEqualTo("a");
            assertThat(echoed(b, "b")).isEqualTo("b");

            assertThat(cli.stop()).isZero();

            assertThat(endsOrResets(a.getInputStream())).as("connection a closed").isTrue();
            assertThat(endsOrResets(b.getInputStream())).as("connection b closed").isTrue();
            a.close();
            b.close();
            try (Socket late = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> late.connect(
                        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), cli.localPort(0))))
                        .as("nothing listens any more").isInstanceOf(java.net.ConnectException.class);
            }
        }
    }

    private static String echoed(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(UTF_8));
        return new String(s.getInputStream().readNBytes(text.length()), UTF_8);
    }

    /** True once the stream ends or the connection is reset; a read that times out fails the test. */
    private static boolean endsOrResets(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha(byte[] data) {
        return HttpDownload.sha256(data);
    }
}
