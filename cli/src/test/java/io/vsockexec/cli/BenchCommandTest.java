package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.bench.BenchTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code bench} command's options, and how it starts agents and command lines. */
class BenchCommandTest {
    private static Args parse(String... args) {
        return ArgParser.parse(BenchCommand.COMMAND.spec(), args, 0);
    }

    @Test
    void defaultsToAFullRunOverUnix() {
        Args args = parse();

        assertThat(args.get(BenchCommand.TRANSPORT, BenchTransport.UNIX)).isEqualTo(BenchTransport.UNIX);
        assertThat(args.has(BenchCommand.QUICK)).isFalse();
    }

    @Test
    void takesTheTransportAndQuick() {
        Args args = parse("--transport", "hybrid", "--quick");

        assertThat(args.get(BenchCommand.TRANSPORT)).isEqualTo(BenchTransport.HYBRID);
        assertThat(args.has(BenchCommand.QUICK)).isTrue();
        assertThat(parse("--transport=tcp").get(BenchCommand.TRANSPORT)).isEqualTo(BenchTransport.TCP);
    }

    @Test
    void anUnknownTransportIsAUsageErrorNamingIt() {
        Captured io = new Captured();

        int status = io.run("bench", "--transport", "udp");

        assertThat(status).isEqualTo(ExitCodes.USAGE);
        assertThat(io.err()).contains("udp").contains("unix, hybrid or tcp");
    }

    @Test
    void startsAgentsAndCommandLinesThroughTheLauncherThatStartedIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        List<String> command = BenchCommand.cliCommand(Map.of("VSOCKEXEC_LAUNCHER", "/opt/vsockexec/bin/vsockexec"),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(command).containsExactly("/opt/vsockexec/bin/vsockexec");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutTheLauncherStartsThisJavaAndWarns() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        List<String> command = BenchCommand.cliCommand(Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(command).contains("-cp").endsWith(Main.class.getName());
        assertThat(command.getFirst()).endsWith("java");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not started by a vsockexec launcher");
    }
}
