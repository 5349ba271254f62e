package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.agent.AgentConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** scripts/lib/agent-jvm.sh, the one place the agent's JVM settings are derived from its memory ceiling. */
class AgentJvmTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "lib", "agent-jvm.sh").toAbsolutePath().normalize();

    /** The options {@code agent_jvm_options} derives for an agent started with {@code args}, one per line. */
    private static List<String> options(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "set -eu; . \"$1\"; shift; agent_jvm_options \"$@\"; printf '%s\\n' \"${agent_jvm_opts[@]}\"",
                "agent-jvm", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static String shellValue(String variable) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; printf '%s' \"$" + variable + "\"", "agent-jvm",
                SCRIPT.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theScriptsDefaultCeilingIsTheAgents() throws Exception {
        assertThat((long) Values.byteSize(shellValue("agent_default_max_memory")))
                .isEqualTo(AgentConfig.DEFAULT_MAX_MEMORY);
    }

    @Test
    void theHeapIsTheCeilingLessWhatTheJvmTakesBesideIt() throws Exception {
        long beside = Long.parseLong(shellValue("agent_beside_heap_mib"));

        assertThat(options()).contains("-Xmx" + ((AgentConfig.DEFAULT_MAX_MEMORY >> 20) - beside) + "m");
        assertThat(options("--listen", "unix:///a.sock", "--max-memory", "256MiB")).contains("-Xmx" + (256 - beside) + "m");
        assertThat(options("--max-memory=1g")).contains("-Xmx" + (1024 - beside) + "m");
        assertThat(options("--max-memory", String.valueOf(200L << 20))).contains("-Xmx" + (200 - beside) + "m");
    }

    @Test
    void theSerialCollectorShrinksAtOnceAndTheJvmsOtherMemoryIsCapped() throws Exception {
        assertThat(options()).contains("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps", "-XX:MaxHeapFreeRatio=30",
                "-XX:MaxMetaspaceSize=32m", "-XX:MaxDirectMemorySize=8m", "-XX:ReservedCodeCacheSize=16m", "-Xss512k",
                "-XX:TrimNativeHeapInterval=1000");
    }

    @Test
    void theAgentsAotCacheIsWrittenWithoutMethodProfiles() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; printf '%s\\n' \"${agent_aot_training_opts[@]}\"",
                "agent-jvm", SCRIPT.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out.lines()).containsExactly("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    }

    @Test
    void aValueTheAgentRefusesGetsTheDefaultsSettingsAndATinyOneTheLeastHeap() throws Exception {
        assertThat(options("--max-memory", "lots")).isEqualTo(options());
        assertThat(options("--max-memory", "1MiB")).contains("-Xmx" + shellValue("agent_least_heap_mib") + "m");
    }
}
