package io.vsockexec.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables of {@code exec}'s {@code --env-file} and {@code -e} options, as docker reads them:
 * {@code KEY=VAL} sets a variable (the value taken as written, to the end of the line), {@code KEY}
 * alone passes this process's value when it has one; in a file, blank lines and lines starting
 * with {@code #} are skipped. Files are read first and in order, then {@code -e}: a later entry
 * wins. A name that is empty or holds whitespace is refused: no shell or program could use it.
 */
final class Environment {
    private Environment() {}

    /**
     * The variables from {@code files} then {@code entries}.
     *
     * @throws CliException with status 2 for a file that cannot be read, naming it, or a malformed
     *     entry, naming its place (never its value, which may be a secret)
     */
    static Map<String, String> of(List<String> files, List<String> entries) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String file : files) {
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).stripLeading();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    add(variables, line, "--env-file " + file + ", line " + (i + 1));
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            add(variables, entries.get(i), "--env number " + (i + 1));
        }
        return variables;
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read --env-file " + file + ": " + reason(e));
        }
    }

    private static void add(Map<String, String> variables, String entry, String where) {
        int eq = entry.indexOf('=');
        String name = eq < 0 ? entry : entry.substring(0, eq);
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            // Named by its place, never quoted: what follows the name may be a secret.
            throw CliException.usage("invalid " + where + ": expected KEY=VAL or KEY, "
                    + (name.isEmpty() ? "with a name" : "and a name without spaces"));
        }
        if (eq > 0) {
            variables.put(name, entry.substring(eq + 1));
        } else if (System.getenv(name) != null) {
            variables.put(name, System.getenv(name));
        }
    }

    /** {@code no such file}, {@code permission denied}, or the exception's own text. */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.charset.CharacterCodingException c -> "not UTF-8 text";
            default -> ExitCodes.text(e);
        };
    }
}
