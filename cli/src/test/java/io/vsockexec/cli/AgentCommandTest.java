package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.AgentConfig;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Listener;
import io.vsockexec.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code agent} command's options and failures, run in this JVM. */
class AgentCommandTest {
    @TempDir
    Path dir;

    private final Captured io = new Captured();

    private static AgentConfig config(String... args) {
        return AgentCommand.config(ArgParser.parse(AgentCommand.COMMAND.spec(), args, 0));
    }

    @Test
    void defaultsAreTheGoReferencePortsAndLimits() {
        AgentConfig config = config();

        assertThat(config.listen()).containsExactly(Endpoint.parse("vsock://any:5000"));
        assertThat(config.ready()).containsExactly(Endpoint.parse("vsock://any:5002"));
        assertThat(config.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxSessions()).isEqualTo(256);
        assertThat(config.maxFrame()).isEqualTo(16 << 20);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.allowInsecureTcp()).isFalse();
        assertThat(config.subreaper()).isFalse();
        assertThat(config.favorDynmods()).isTrue();
    }

    @Test
    void keepCgroupMountLeavesTheMountAloneButKeepsTheCgroups() {
        AgentConfig config = config("--keep-cgroup-mount");

        assertThat(config.favorDynmods()).isFalse();
        assertThat(config.cgroups()).isTrue();
        assertThat(config("--no-cgroups").favorDynmods()).isTrue();
    }

    @Test
    void everyOptionReachesTheConfigurationInEitherSpelling() {
        for (String[] args : List.of(
                new String[] {"--listen", "unix:///a.sock", "--listen", "tcp://127.0.0.1:0", "--no-ready",
                    "--grace", "500ms", "--max-sessions", "3", "--max-frame", "1MiB", "--drain-timeout", "0s",
                    "--request-timeout", "2m", "--allow-insecure-tcp", "--subreaper"},
                new String[] {"--listen=unix:///a.sock", "--listen=tcp://127.0.0.1:0", "--no-ready", "--grace=500ms",
                    "--max-sessions=3", "--max-frame=1MiB", "--drain-timeout=0s", "--request-timeout=2m",
                    "--allow-insecure-tcp", "--subreaper"})) {
            AgentConfig config = config(args);

            assertThat(config.listen()).containsExactly(Endpoint.parse("unix:///a.sock"),
                    Endpoint.parse("tcp://127.0.0.1:0"));
            assertThat(config.ready()).isEmpty();
            assertThat(config.grace()).isEqualTo(Duration.ofMillis(500));
            assertThat(config.maxSessions()).isEqualTo(3);
            assertThat(config.maxFrame()).isEqualTo(1 << 20);
            assertThat(config.drainTimeout()).isZero();
            assertThat(config.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.allowInsecureTcp()).isTrue();
            assertThat(config.subreaper()).isTrue();
        }
    }

    @Test
    void readyEndpointsAreKeptAndNoReadyWinsOverThem() {
        assertThat(config("--ready", "unix:///r1.sock", "--ready", "hybrid:///vm.sock:5002").ready())
                .containsExactly(Endpoint.parse("unix:///r1.sock"), Endpoint.parse("hybrid:///vm.sock:5002"));
        assertThat(config("--ready", "unix:///r1.sock", "--no-ready").ready()).isEmpty();
    }

    @Test
    void everyOptionOfTheTableIsInTheHelp() {
        String help = Help.of(AgentCommand.COMMAND.spec());
        for (Opt<?> option : AgentOptions.options()) {
            assertThat(help).contains(option.longName() + (option.label() == null ? "" : " " + option.label()));
        }
        assertThat(help).contains("Examples:", "vsockexec agent --listen unix://");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertThat(io.run("agent", "--grace", "soon")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: --grace: ").contains("'soon'").doesNotContain("\tat ");

        io.clear();
        assertThat(io.run("agent", "--listen", "ftp://x")).as(io::err).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: --listen: ").contains("ftp://x");

        io.clear();
        assertThat(io.run("agent", "--max-sessions", "0", "--listen", "unix://" + dir.resolve("x.sock"))).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: --max-sessions: ");

        io.clear();
        assertThat(io.run("agent", "--max-sessions", "100000", "--listen", "unix://" + dir.resolve("x.sock")))
                .isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: max sessions must be 1 to 65536: 100000");
    }

    @Test
    void unusualCommandLinesAreUsageErrors() {
        for (String[] args : List.of(
                new String[] {"agent", "--version"},
                new String[] {"agent", "--bogus"},
                new String[] {"agent", "--grace"},
                new String[] {"agent", "--grace", "1s", "--grace", "2s"},
                new String[] {"agent", "--max-sessions", "-1"},
                new String[] {"agent", "--max-frame", "huge"},
                new String[] {"agent", "--subreaper=false"},
                new String[] {"agent", "extra"})) {
            io.clear();
            assertThat(io.run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(io.err().lines()).as(io::err).hasSize(2).last().isEqualTo("See 'vsockexec agent --help'.");
        }
    }

    @Test
    void insecureTcpIsRefusedBeforeAnythingIsBound() {
        assertThat(io.run("agent", "--listen", "tcp://0.0.0.0:0", "--no-ready")).isEqualTo(2);
        assertThat(io.err()).startsWith("vsockexec: refusing to listen on tcp://0.0.0.0:0").contains("--allow-insecure-tcp");
    }

    @Test
    void bindFailureIsOneLineAndStatusOne() throws Exception {
        Endpoint taken = Endpoint.parse("unix://" + dir.resolve("taken.sock"));
        try (Listener holder = Transports.listen(taken)) {
            assertThat(holder.isOpen()).isTrue();
            assertThat(io.run("agent", "--listen", taken.toString(), "--no-ready")).isEqualTo(1);
        }
        assertThat(io.err()).startsWith("vsockexec: ").contains(taken.toString()).contains("EADDRINUSE");
        assertThat(io.err().lines()).hasSize(1);
        assertThat(io.out()).isEmpty();
    }

    @Test
    void helpShowsOptionsAndExamples() {
        assertThat(io.run("agent", "--help")).isZero();

        assertThat(io.out()).contains("--listen ENDPOINT", "--max-sessions N", "Examples:",
                "vsockexec agent --listen unix://");
    }
}
