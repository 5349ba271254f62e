package io.vsockexec.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code exec}'s rule that one word after {@code --} is a shell command line, and the hint for
 * when that rule bites: a single word such as {@code "/opt/my app/run"}, meant as a program, is
 * split by the shell at its space and the program is not found.
 */
final class ShellWords {
    /** Characters that make a word a shell command line rather than a path with spaces. */
    private static final String SHELL_SYNTAX = "|&;<>()$`\\\"'*?[]#~={}!";

    private ShellWords() {}

    /** After a 127 (not found): if the command was one word that looks like a path with spaces, says what happened. */
    static void explainNotFound(List<String> words, PrintStream err) {
        if (words.size() == 1 && looksLikeSplitPath(words.getFirst())) {
            String word = words.getFirst().strip();
            err.println("vsockexec: hint: one word after -- is a shell command line, and the shell split \"" + word
                    + "\" at its spaces; to run it as one program, quote it for the shell: -- \"'" + word + "'\"");
            err.flush();
        }
    }

    /** A word with a space, no shell syntax, whose first part names a path. */
    static boolean looksLikeSplitPath(String word) {
        String w = word.strip();
        int space = w.indexOf(' ');
        if (space < 0) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (SHELL_SYNTAX.indexOf(w.charAt(i)) >= 0) {
                return false;
            }
        }
        return w.substring(0, space).contains("/");
    }
}
