package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code agent} command's options and failures, run in this JVM. */
class AgentCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void defaultsAreTheGoReferencePortsAndLimits() {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("agent");
        AgentCommand command = cl.getSubcommands().get("agent").getCommand();

        var config = command.config();

        assertThat(config.listen()).containsExactly(Endpoint.parse("vsock://any:5000"));
        assertThat(config.ready()).containsExactly(Endpoint.parse("vsock://any:5002"));
        assertThat(config.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxSessions()).isEqualTo(256);
        assertThat(config.maxFrame()).isEqualTo(16 << 20);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void optionsReachTheConfiguration() {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("agent", "--listen", "unix:///a.sock", "--listen", "tcp://127.0.0.1:0", "--no-ready",
                "--grace", "500ms", "--max-sessions", "3", "--max-frame", "1MiB", "--drain-timeout", "0s",
                "--request-timeout", "2m", "--allow-insecure-tcp", "--subreaper");
        AgentCommand command = cl.getSubcommands().get("agent").getCommand();

        var config = command.config();

        assertThat(config.listen()).containsExactly(Endpoint.parse("unix:///a.sock"), Endpoint.parse("tcp://127.0.0.1:0"));
        assertThat(config.ready()).isEmpty();
        assertThat(config.grace()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxSessions()).isEqualTo(3);
        assertThat(config.maxFrame()).isEqualTo(1 << 20);
        assertThat(config.drainTimeout()).isZero();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.allowInsecureTcp()).isTrue();
        assertThat(config.subreaper()).isTrue();
    }

    @Test
    void badOptionsAreOneLineAndStatusTwo() {
        assertThat(run("agent", "--grace", "soon")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vsockexec: ").contains("'soon'").doesNotContain("\tat ");

        err.getBuffer().setLength(0);
        assertThat(run("agent", "--listen", "ftp://x")).as(err::toString).isEqualTo(2);
        assertThat(err.toString()).startsWith("vsockexec: --listen: ").contains("ftp://x");

        err.getBuffer().setLength(0);
        assertThat(run("agent", "--max-sessions", "0", "--listen", "unix:///" + dir.resolve("x.sock"))).isEqualTo(2);
        assertThat(err.toString()).startsWith("vsockexec: max sessions must be 1 to 65536: 0");
    }

    @Test
    void bindFailureIsOneLineAndStatusOne() throws Exception {
        Endpoint taken = Endpoint.parse("unix://" + dir.resolve("taken.sock"));
        try (Listener holder = Transports.listen(taken)) {
            assertThat(holder.isOpen()).isTrue();
            assertThat(run("agent", "--listen", taken.toString(), "--no-ready")).isEqualTo(1);
        }
        assertThat(err.toString()).startsWith("vsockexec: ").contains(taken.toString()).contains("EADDRINUSE");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void helpShowsOptionsAndExamples() {
        assertThat(run("agent", "--help")).isZero();

        assertThat(out.toString()).contains("--listen=ENDPOINT", "--max-sessions=N", "Examples:",
                "vsockexec agent --listen unix://");
    }
}
