package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.BenchTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code bench} command's options, and how it starts agents. */
class BenchCommandTest {
    private static BenchCommand parse(String... args) {
        CommandLine cl = Main.commandLine();
        cl.parseArgs(args);
        return cl.getSubcommands().get("bench").getCommand();
    }

    @Test
    void defaultsToAFullRunOverUnix() {
        BenchCommand command = parse("bench");

        assertThat(command.transport).isEqualTo(BenchTransport.UNIX);
        assertThat(command.quick).isFalse();
    }

    @Test
    void takesTheTransportAndQuick() {
        BenchCommand command = parse("bench", "--transport", "hybrid", "--quick");

        assertThat(command.transport).isEqualTo(BenchTransport.HYBRID);
        assertThat(command.quick).isTrue();
        assertThat(parse("bench", "--transport=tcp").transport).isEqualTo(BenchTransport.TCP);
    }

    @Test
    void anUnknownTransportIsAUsageErrorNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));

        int status = cl.execute("bench", "--transport", "udp");

        assertThat(status).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("udp").contains("unix, hybrid or tcp");
    }

    @Test
    void startsAgentsThroughTheLauncherThatStartedIt() {
        StringWriter err = new StringWriter();

        List<String> command = BenchCommand.agentCommand(Map.of("VSOCKEXEC_LAUNCHER", "/opt/vsockexec/vsockexec"),
                new PrintWriter(err, true));

        assertThat(command).containsExactly("/opt/vsockexec/vsockexec", "agent");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutTheLauncherStartsThisJavaAndWarns() {
        StringWriter err = new StringWriter();

        List<String> command = BenchCommand.agentCommand(Map.of(), new PrintWriter(err, true));

        assertThat(command).contains("-cp", Entry.class.getName()).endsWith("agent");
        assertThat(command.getFirst()).endsWith("java");
        assertThat(err.toString()).contains("not started by the ./vsockexec launcher");
    }
}
