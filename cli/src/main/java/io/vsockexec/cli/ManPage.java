package io.vsockexec.cli;

import java.util.List;

/**
 * The manual page {@code vsockexec(1)}, in roff, made from the same tables as {@code --help} and
 * the completion scripts: the program's usage, then each command's usage, description, options and
 * closing sections. The distribution's build writes it to {@code share/man/man1/vsockexec.1}.
 *
 * <pre>{@code java -cp 'lib/*' io.vsockexec.cli.ManPage > share/man/man1/vsockexec.1}</pre>
 */
public final class ManPage {
    private ManPage() {}

    /** Prints the page to standard output. */
    public static void main(String[] args) {
        System.out.print(page(Main.program(), Commands.specs(), version()));
        System.out.flush();
    }

    /** The whole page: {@code program}'s name, synopsis and options, then a section per command. */
    static String page(CommandSpec program, List<CommandSpec> commands, String version) {
        StringBuilder b = new StringBuilder();
        b.append(".TH VSOCKEXEC 1 \"\" \"vsockexec ").append(escape(version)).append("\" \"User Commands\"\n");
        b.append(".SH NAME\nvsockexec \\- ").append(escape(program.summary())).append('\n');
        b.append(".SH SYNOPSIS\n");
        synopsis(b, program);
        for (CommandSpec c : commands) {
            synopsis(b, c);
        }
        b.append(".SH DESCRIPTION\n");
        b.append("Each command is described below; \\fBvsockexec\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints the same.\n");
        b.append(".SH OPTIONS\n");
        options(b, program.options());
        sections(b, program.sections(), ".SH ");
        b.append(".SH COMMANDS\n");
        for (CommandSpec c : commands) {
            command(b, c);
        }
        b.append(".SH SEE ALSO\nThe documentation in the project's \\fIdocs/\\fR: CLI.md, AGENT.md, GUEST.md, SDK.md, VM.md.\n");
        return b.toString();
    }

    private static void synopsis(StringBuilder b, CommandSpec spec) {
        b.append(".B ").append(escape(spec.fullName())).append('\n').append(escape(spec.usage())).append("\n.br\n");
    }

    private static void command(StringBuilder b, CommandSpec spec) {
        b.append(".SS \"").append(escape(spec.fullName())).append("\"\n");
        for (String paragraph : spec.description()) {
            b.append(".PP\n").append(escape(paragraph)).append('\n');
        }
        if (spec.description().isEmpty()) {
            b.append(".PP\n").append(escape(spec.summary())).append('\n');
        }
        b.append(".PP\nOptions:\n.RS\n");
        options(b, spec.options());
        b.append(".RE\n");
        sections(b, spec.sections(), ".PP\n");
    }

    private static void options(StringBuilder b, List<Opt<?>> options) {
        for (Opt<?> o : options) {
            b.append(".TP\n\\fB").append(escape(o.names())).append("\\fR");
            if (o.label() != null) {
                b.append(" \\fI").append(escape(o.label())).append("\\fR");
            }
            b.append('\n').append(escape(o.help())).append('\n');
        }
    }

    /** Each section's title, then its lines as written (no filling), indented. */
    private static void sections(StringBuilder b, List<CommandSpec.Section> sections, String heading) {
        for (CommandSpec.Section s : sections) {
            b.append(heading).append(heading.startsWith(".SH") ? escape(s.title().toUpperCase(java.util.Locale.ROOT))
                    : escape(s.title()) + ":").append('\n');
            b.append(".RS\n.nf\n");
            for (String line : s.lines()) {
                b.append(escape(line)).append('\n');
            }
            b.append(".fi\n.RE\n");
        }
    }

    /**
     * Text as roff prints it: a backslash is {@code \e}, a hyphen a minus sign (so options can be
     * searched and pasted), and a line may not start with a control character.
     */
    static String escape(String text) {
        String t = text.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    private static String version() {
        String v = ManPage.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
