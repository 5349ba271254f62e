package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.AgentConfig;
import io.vsockexec.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The agent's start without picocli: the same configuration as picocli's, or picocli's turn. */
class AgentFastStartTest {
    /** What picocli makes of {@code args}. */
    private static AgentConfig viaPicocli(String... args) {
        CommandLine cl = Main.commandLine();
        cl.parseArgs(args);
        AgentCommand command = cl.getSubcommands().get("agent").getCommand();
        return command.config();
    }

    /** Everything but the log sink, which is a function. */
    private static List<Object> settings(AgentConfig c) {
        return List.of(c.listen(), c.ready(), c.grace(), c.maxSessions(), c.maxFrame(), c.drainTimeout(),
                c.requestTimeout(), c.allowInsecureTcp(), c.subreaper());
    }

    @Test
    void wellFormedCommandLinesGiveTheConfigurationPicocliGives() {
        List<String[]> lines = List.of(
                new String[] {"agent"},
                new String[] {"agent", "--listen", "unix:///run/a.sock", "--ready", "hybrid:///run/vm.sock:5002"},
                new String[] {"agent", "--listen=unix:///a.sock", "--listen", "tcp://127.0.0.1:0", "--no-ready",
                    "--grace", "500ms", "--max-sessions", "3", "--max-frame", "1MiB", "--drain-timeout=0s",
                    "--request-timeout", "2m", "--allow-insecure-tcp", "--subreaper"},
                new String[] {"agent", "--max-sessions=1100", "--listen", "unix:///b.sock"});
        for (String[] args : lines) {
            AgentFastStart.Parsed fast = AgentFastStart.parse(args);

            assertThat(fast).as(String.join(" ", args)).isNotNull();
            assertThat(settings(fast.config())).as(String.join(" ", args)).isEqualTo(settings(viaPicocli(args)));
        }
    }

    // (-v is checked on the fast path only: through picocli it would switch this JVM's logging to debug.)
    @Test
    void verboseIsNoticed() {
        assertThat(AgentFastStart.parse(new String[] {"agent", "--verbose"}).verbose()).isTrue();
        assertThat(AgentFastStart.parse(new String[] {"agent", "-v"}).verbose()).isTrue();
        assertThat(AgentFastStart.parse(new String[] {"agent"}).verbose()).isFalse();
    }

    @Test
    void theFastConfigurationHasTheOptionsValues() {
        AgentConfig c = AgentFastStart.parse(new String[] {"agent", "--listen", "unix:///x.sock", "--grace", "2s"})
                .config();

        assertThat(c.listen()).containsExactly(Endpoint.parse("unix:///x.sock"));
        assertThat(c.ready()).containsExactly(Endpoint.parse(AgentConfig.DEFAULT_READY));
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anythingUnusualIsLeftToPicocli() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"exec", "--connect", "local", "true"},
                new String[] {"agent", "--help"},
                new String[] {"agent", "--version"},
                new String[] {"agent", "--bogus"},
                new String[] {"agent", "--grace"},
                new String[] {"agent", "--grace", "1s", "--grace", "2s"},
                new String[] {"agent", "--grace", "soon"},
                new String[] {"agent", "--max-sessions", "-1"},
                new String[] {"agent", "--max-sessions", "0"},
                new String[] {"agent", "--max-frame", "huge"},
                new String[] {"agent", "--listen", "nope://x"},
                new String[] {"agent", "--subreaper=false"},
                new String[] {"agent", "extra"},
                new String[] {"-v", "agent"});
        for (String[] args : lines) {
            assertThat(AgentFastStart.parse(args)).as(String.join(" ", args)).isNull();
        }
    }
}
