package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The manual page, made from the same tables as the help: every command and option, in valid roff. */
class ManPageTest {
    private static final String PAGE = ManPage.page(Main.program(), Commands.specs(), "1.2.3");

    @Test
    void everyCommandHasASectionWithEveryOptionOfItsTable() {
        assertThat(PAGE).startsWith(".TH VSOCKEXEC 1 \"\" \"vsockexec 1.2.3\" \"User Commands\"\n");
        for (CommandSpec spec : Commands.specs()) {
            String section = PAGE.substring(PAGE.indexOf(".SS \"vsockexec " + spec.name() + "\"\n"));
            for (Opt<?> o : spec.options()) {
                assertThat(section).as(spec.name() + " " + o).contains("\\fB" + ManPage.escape(o.names()) + "\\fR");
            }
        }
    }

    @Test
    void textNeverStartsALineWithAControlCharacterOrHoldsABareBackslash() {
        Set<String> requests = Set.of(".TH", ".SH", ".SS", ".PP", ".TP", ".RS", ".RE", ".nf", ".fi", ".B", ".br");
        for (String line : PAGE.lines().toList()) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertThat(requests).as(line).contains(line.split(" ", 2)[0]);
            }
        }
        assertThat(ManPage.escape(".hidden \\n -x")).isEqualTo("\\&.hidden \\en \\-x");
    }

    @Test
    void groffFormatsItWithoutAWarning() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        Path page = Files.createTempFile("vsockexec", ".1");
        try {
            Files.writeString(page, PAGE);
            Process groff = new ProcessBuilder(List.of("groff", "-man", "-Tutf8", "-ww", "-z", page.toString()))
                    .redirectErrorStream(true).start();
            String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(groff.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(warnings).isEmpty();
            assertThat(groff.exitValue()).isZero();
        } finally {
            Files.delete(page);
        }
    }
}
