package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's {@code --help}, as docker and kubectl print theirs: {@code Usage:}, the description,
 * {@code Options:} in two aligned columns whose long descriptions wrap under themselves, then the
 * closing sections (examples, exit status) as written. Lines fit {@link #WIDTH} columns.
 */
final class Help {
    /** The width help is wrapped to: a standard terminal's. */
    static final int WIDTH = 80;
    /** An option's names and value take at most this many columns before its description moves below. */
    private static final int MAX_NAMES = 30;

    private Help() {}

    /** The whole help of {@code spec}. */
    static String of(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        b.append("Usage:  ").append(spec.fullName()).append(' ').append(spec.usage()).append("\n\n");
        for (String paragraph : spec.description()) {
            wrap(b, paragraph, "", WIDTH);
            b.append('\n');
        }
        b.append("Options:\n");
        table(b, optionRows(spec.options()));
        sections(b, spec.sections());
        return b.toString();
    }

    /** {@code  -e, --env KEY=VAL} and the help of each option; names without a short one line up after {@code -x, }. */
    static List<String[]> optionRows(List<Opt<?>> options) {
        List<String[]> rows = new ArrayList<>();
        for (Opt<?> o : options) {
            String names = (o.shortName() == null ? "    " : o.shortName() + ", ") + o.longName()
                    + (o.label() == null ? "" : " " + o.label());
            rows.add(new String[] {names, o.help()});
        }
        return rows;
    }

    /** Two columns, indented two spaces: the left padded to the widest (up to a limit), the right wrapped under itself. */
    static void table(StringBuilder b, List<String[]> rows) {
        int left = 0;
        for (String[] row : rows) {
            if (row[0].length() <= MAX_NAMES) {
                left = Math.max(left, row[0].length());
            }
        }
        String indent = " ".repeat(2 + left + 3);
        for (String[] row : rows) {
            b.append("  ").append(row[0]);
            if (row[0].length() > left) {
                b.append('\n').append(indent);
            } else {
                b.append(" ".repeat(left - row[0].length() + 3));
            }
            wrap(b, row[1], indent, WIDTH);
        }
    }

    /** Each section: a blank line, its title and its lines, indented two spaces. */
    static void sections(StringBuilder b, List<CommandSpec.Section> sections) {
        for (CommandSpec.Section s : sections) {
            b.append('\n').append(s.title()).append(":\n");
            for (String line : s.lines()) {
                b.append(line.isEmpty() ? "" : "  ").append(line).append('\n');
            }
        }
    }

    /**
     * Appends {@code text} wrapped at spaces to {@code width} columns, the first line from where the
     * builder stands, every further line after {@code indent}; ends with a newline.
     */
    static void wrap(StringBuilder b, String text, String indent, int width) {
        int column = b.length() - (b.lastIndexOf("\n") + 1);
        boolean lineStart = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!lineStart && column + 1 + word.length() > width) {
                b.append('\n').append(indent);
                column = indent.length();
                lineStart = true;
            }
            if (!lineStart) {
                b.append(' ');
                column++;
            }
            b.append(word);
            column += word.length();
            lineStart = false;
        }
        b.append('\n');
    }
}
