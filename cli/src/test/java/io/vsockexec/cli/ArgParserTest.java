package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser on the shapes of today's and the coming commands: exec's options that end at the
 * command, cp's arguments among options, port-forward's many arguments, vm's words handed on after
 * {@code --}.
 */
class ArgParserTest {
    static final Opt<String> CONNECT = Opt.text("--connect", "ENDPOINT", "The agent.");
    static final Opt<String> USER = Opt.text("-u, --user", "USER", "The user.");
    static final Opt<Boolean> INTERACTIVE = Opt.flag("-i, --interactive", "Input.");
    static final Opt<Boolean> TTY = Opt.flag("-t, --tty", "A terminal.");
    static final Opt<String> ENV = Opt.text("-e, --env", "KEY=VAL", "A variable.").repeatable();
    static final Opt<Duration> TIMEOUT = Opt.value("--timeout", "DURATION", Values::positiveDuration, "A limit.");
    static final Opt<Integer> CID = Opt.value("--cid", "N", text -> Values.count(text, 3), "A CID.");

    static final CommandSpec EXEC = CommandSpec.command("exec").summary("exec")
            .options(List.of(CONNECT, USER, INTERACTIVE, TTY, ENV, TIMEOUT))
            .arguments("COMMAND", 1, Integer.MAX_VALUE).optionsEndAtFirstArgument().build();
    static final CommandSpec CP = CommandSpec.command("cp").summary("cp").usage("[OPTIONS] SRC... DST")
            .options(List.of(CONNECT, USER)).arguments("SRC... DST", 2, Integer.MAX_VALUE).build();
    static final CommandSpec PORT_FORWARD = CommandSpec.command("port-forward").summary("port-forward")
            .options(List.of(CONNECT)).arguments("PORTS", 1, Integer.MAX_VALUE).build();
    static final CommandSpec VM = CommandSpec.command("vm").summary("vm")
            .options(List.of(Opt.text("--dir", "DIR", "The VM's directory."), CID)).passThroughAfterDashDash().build();

    private static Args parse(CommandSpec spec, String... words) {
        return ArgParser.parse(spec, words, 0);
    }

    private static void assertUsageError(CommandSpec spec, String message, String... words) {
        assertThatThrownBy(() -> parse(spec, words))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.status()).isEqualTo(ExitCodes.USAGE);
                    assertThat(e.helpOf()).isEqualTo(spec.fullName());
                })
                .hasMessage(message);
    }

    @Test
    void longOptionsTakeTheirValueAfterAnEqualsSignOrAsTheNextWord() {
        Args args = parse(EXEC, "--connect=unix:///a.sock", "--user", "nobody", "--timeout=1.5s", "true");

        assertThat(args.get(CONNECT)).isEqualTo("unix:///a.sock");
        assertThat(args.get(USER)).isEqualTo("nobody");
        assertThat(args.get(TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
        assertThat(args.arguments()).containsExactly("true");
    }

    @Test
    void shortFlagsCombineAndAShortOptionTakesTheRestOfItsWordOrTheNext() {
        Args args = parse(EXEC, "-it", "-uroot", "-e", "A=1", "-ieB=2", "true");

        assertThat(args.has(INTERACTIVE)).isTrue();
        assertThat(args.has(TTY)).isTrue();
        assertThat(args.get(USER)).isEqualTo("root");
        assertThat(args.all(ENV)).containsExactly("A=1", "B=2");
    }

    @Test
    void anOptionNotGivenIsAbsent() {
        Args args = parse(EXEC, "true");

        assertThat(args.has(TTY)).isFalse();
        assertThat(args.get(CONNECT)).isNull();
        assertThat(args.get(TIMEOUT, Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(args.all(ENV)).isEmpty();
    }

    @Test
    void execsOptionsEndAtTheCommandsFirstWord() {
        Args args = parse(EXEC, "-i", "ls", "-l", "--connect", "x", "--", "-h");

        assertThat(args.arguments()).containsExactly("ls", "-l", "--connect", "x", "--", "-h");
        assertThat(args.get(CONNECT)).isNull();
        assertThat(args.has(Opt.HELP)).isFalse();
    }

    @Test
    void doubleDashEndsTheOptionsSoACommandMayBeginWithADash() {
        assertThat(parse(EXEC, "--", "-weird-program", "x").arguments()).containsExactly("-weird-program", "x");
        assertThat(parse(CP, "--", "-file", "/dst").arguments()).containsExactly("-file", "/dst");
    }

    @Test
    void cpTakesOptionsAnywhereAmongItsArguments() {
        Args args = parse(CP, "a.txt", "-u", "nobody", "b.txt", "--connect", "local", "/srv/");

        assertThat(args.arguments()).containsExactly("a.txt", "b.txt", "/srv/");
        assertThat(args.get(USER)).isEqualTo("nobody");
        assertThat(args.get(CONNECT)).isEqualTo("local");
    }

    @Test
    void portForwardTakesManyArguments() {
        Args args = parse(PORT_FORWARD, "8080:80", "--connect", "vsock://3:5000", "127.0.0.1:9000:db:5432");

        assertThat(args.arguments()).containsExactly("8080:80", "127.0.0.1:9000:db:5432");
    }

    @Test
    void vmHandsTheWordsAfterDoubleDashOnUnread() {
        Args args = parse(VM, "--dir", "/srv/vm1", "--cid", "7", "--", "--grace", "2s", "-v");

        assertThat(args.get(CID)).isEqualTo(7);
        assertThat(args.arguments()).isEmpty();
        assertThat(args.passThrough()).containsExactly("--grace", "2s", "-v");
        assertThat(args.has(Opt.VERBOSE)).isFalse();
    }

    @Test
    void helpAndVerboseAreOptionsOfEveryCommand() {
        for (CommandSpec spec : List.of(EXEC, CP, PORT_FORWARD, VM)) {
            Args args = parse(spec, "-v", "--help");
            assertThat(args.has(Opt.HELP)).isTrue();
            assertThat(args.has(Opt.VERBOSE)).isTrue();
        }
    }

    @Test
    void helpIsAnsweredEvenWithoutTheRequiredArguments() {
        assertThat(parse(CP, "-h").has(Opt.HELP)).isTrue();
    }

    @Test
    void badWordsAreUsageErrorsNamingThem() {
        assertUsageError(EXEC, "unknown option --bogus", "--bogus", "true");
        assertUsageError(EXEC, "unknown option -x in -ix", "-ix", "true");
        assertUsageError(EXEC, "option --connect needs a value (ENDPOINT)", "--connect");
        assertUsageError(EXEC, "option --connect needs a value (ENDPOINT)", "--connect", "--", "true");
        assertUsageError(EXEC, "option -u needs a value (USER)", "-u");
        assertUsageError(EXEC, "option --tty takes no value", "--tty=yes", "true");
        assertUsageError(EXEC, "option --user takes one value and was given twice", "-u", "a", "--user", "b", "true");
        assertUsageError(EXEC, "--timeout: '0s' is no time at all: give more than zero, e.g. 30s",
                "--timeout", "0s", "true");
        assertUsageError(VM, "--cid: invalid number '2': expected a whole number of at least 3", "--cid", "2");
    }

    @Test
    void theNumberOfArgumentsIsChecked() {
        assertUsageError(EXEC, "vsockexec exec needs COMMAND", "-i");
        assertUsageError(CP, "vsockexec cp needs at least 2 arguments: SRC... DST", "a");
        assertUsageError(VM, "vsockexec vm takes no arguments, but was given \"x\"", "x");
    }

    @Test
    void flagsMayBeRepeated() {
        assertThat(parse(EXEC, "-v", "-v", "-i", "--interactive", "true").has(INTERACTIVE)).isTrue();
    }
}
