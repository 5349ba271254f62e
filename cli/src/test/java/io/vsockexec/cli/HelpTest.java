package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --help} as docker prints it: usage, description, aligned options whose long help wraps under itself. */
class HelpTest {
    @Test
    void everyCommandHasHelpWithUsageOptionsAndHelpItself() {
        for (String name : Commands.NAMES) {
            Captured io = new Captured();
            for (String flag : new String[] {"-h", "--help"}) {
                io.clear();
                assertThat(io.run(name, flag)).as(name + " " + flag).isZero();
                assertThat(io.out()).as(name).startsWith("Usage:  vsockexec " + name + " ")
                        .contains("\nOptions:\n", "  -h, --help ", "  -v, --verbose ");
                assertThat(io.err()).isEmpty();
            }
        }
    }

    @Test
    void linesFitTheWidthAndContinuationLinesAlignUnderTheirDescription() {
        for (CommandSpec spec : Commands.specs()) {
            List<String> lines = Help.of(spec).lines().toList();
            List<String> options = lines.subList(lines.indexOf("Options:") + 1, lines.size());
            options = options.subList(0, options.indexOf(""));
            int column = -1;
            for (String line : options) {
                int gap = line.indexOf("   ", line.indexOf('-'));
                if (isNameLine(line) && gap > 0) {
                    int start = gap + (line.length() - gap - line.substring(gap).stripLeading().length());
                    assertThat(column).as(spec.name() + ": " + line).isIn(-1, start);
                    column = start;
                }
            }
            for (String line : options) {
                assertThat(line.length()).as(spec.name() + ": " + line).isLessThanOrEqualTo(Help.WIDTH);
                if (!isNameLine(line)) {
                    assertThat(line).as(spec.name() + ": continuation").startsWith(" ".repeat(column));
                    assertThat(line.charAt(column)).as(spec.name() + ": continuation " + line).isNotEqualTo(' ');
                }
            }
        }
    }

    private static boolean isNameLine(String line) {
        return line.startsWith("  -") || line.startsWith("      --");
    }

    @Test
    void aLongDescriptionWrapsAtSpaces() {
        StringBuilder b = new StringBuilder("  name   ");
        Help.wrap(b, "one two three four five six seven eight nine ten", "         ", 33);

        assertThat(b.toString()).isEqualTo("""
                  name   one two three four five
                         six seven eight nine ten
                """);
    }

    @Test
    void theProgramsHelpListsEveryCommandAndItsOptions() {
        Captured io = new Captured();

        assertThat(io.run("--help")).isZero();
        assertThat(io.out()).startsWith("Usage:  vsockexec [OPTIONS] COMMAND").contains("--version", "Endpoints:");
        for (String name : Commands.NAMES) {
            assertThat(io.out()).contains("\n  " + name + " ");
        }
        io.clear();
        assertThat(io.run()).isZero();
        assertThat(io.out()).startsWith("Usage:  vsockexec [OPTIONS] COMMAND");
        io.clear();
        assertThat(io.run("help", "exec")).isZero();
        assertThat(io.out()).isEqualTo(Help.of(ExecCommand.COMMAND.spec()));
    }
}
