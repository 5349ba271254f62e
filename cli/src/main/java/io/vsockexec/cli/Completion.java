package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Shell completion scripts for bash and zsh, made from the commands' tables: the commands, each
 * command's options, and the values a shell can offer (file names, fixed words).
 */
final class Completion {
    private Completion() {}

    /** The bash script: defines {@code _vsockexec} and registers it for {@code vsockexec}. */
    static String bash(List<CommandSpec> commands) {
        StringBuilder b = new StringBuilder();
        b.append("# bash completion for vsockexec: source <(vsockexec completion bash)\n")
                .append("_vsockexec() {\n")
                .append("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= i\n")
                .append("    for ((i = 1; i < COMP_CWORD; i++)); do\n")
                .append("        case ${COMP_WORDS[i]} in -*) ;; *) command=${COMP_WORDS[i]}; break ;; esac\n")
                .append("    done\n")
                .append("    local options= arguments=\n")
                .append("    case $command in\n")
                .append("        '') options='--version -h --help -v --verbose'; arguments='")
                .append(String.join(" ", Commands.NAMES)).append("' ;;\n");
        for (CommandSpec spec : commands) {
            bashCommand(b, spec);
        }
        b.append("    esac\n")
                .append("    if [[ $cur == -* ]]; then\n")
                .append("        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n")
                .append("    else\n")
                .append("        COMPREPLY=($(compgen -W \"$arguments\" -- \"$cur\"))\n")
                .append("    fi\n")
                .append("}\n")
                .append("complete -F _vsockexec vsockexec\n");
        return b.toString();
    }

    private static void bashCommand(StringBuilder b, CommandSpec spec) {
        List<String> names = new ArrayList<>();
        b.append("        ").append(spec.name()).append(")\n");
        for (Opt<?> o : spec.options()) {
            List<String> own = o.shortName() == null ? List.of(o.longName()) : List.of(o.shortName(), o.longName());
            names.addAll(own);
            if (o.isFlag()) {
                continue;
            }
            String reply = switch (o.completes()) {
                case FILES -> "COMPREPLY=($(compgen -f -- \"$cur\"))";
                case WORDS -> "COMPREPLY=($(compgen -W '" + String.join(" ", o.words()) + "' -- \"$cur\"))";
                case ANYTHING -> "COMPREPLY=()";
            };
            b.append("            case $prev in ").append(String.join("|", own)).append(") ").append(reply)
                    .append("; return ;; esac\n");
        }
        b.append("            options='").append(String.join(" ", names)).append("'; arguments='")
                .append(String.join(" ", spec.argumentWords())).append("' ;;\n");
    }

    /** The zsh script, for a file {@code _vsockexec} on {@code $fpath}. */
    static String zsh(List<CommandSpec> commands) {
        StringBuilder b = new StringBuilder();
        b.append("#compdef vsockexec\n")
                .append("# zsh completion for vsockexec: vsockexec completion zsh > \"${fpath[1]}/_vsockexec\"\n")
                .append("_vsockexec() {\n")
                .append("    local curcontext=$curcontext state line\n")
                .append("    local -a commands\n")
                .append("    commands=(\n");
        for (CommandSpec spec : commands) {
            b.append("        ").append(quote(spec.name() + ":" + escape(spec.summary()))).append('\n');
        }
        b.append("    )\n")
                .append("    _arguments -C \\\n")
                .append("        '--version[Print the version and exit]' \\\n")
                .append("        '(-h --help)'{-h,--help}'[Print the help and exit]' \\\n")
                .append("        '(-v --verbose)'{-v,--verbose}'[Debug lines on stderr]' \\\n")
                .append("        '1: :->command' '*:: :->arguments'\n")
                .append("    case $state in\n")
                .append("        command) _describe -t commands 'vsockexec command' commands ;;\n")
                .append("        arguments)\n")
                .append("            case $words[1] in\n");
        for (CommandSpec spec : commands) {
            zshCommand(b, spec);
        }
        b.append("            esac ;;\n")
                .append("    esac\n")
                .append("}\n")
                .append("_vsockexec \"$@\"\n");
        return b.toString();
    }

    private static void zshCommand(StringBuilder b, CommandSpec spec) {
        b.append("                ").append(spec.name()).append(") _arguments");
        for (Opt<?> o : spec.options()) {
            b.append(" \\\n                    ").append(zshOption(o));
        }
        if (spec.maxArguments() > 0) {
            String words = spec.argumentWords().isEmpty() ? " " : "(" + String.join(" ", spec.argumentWords()) + ")";
            b.append(" \\\n                    ").append(quote("*:" + spec.argumentLabel() + ":" + words));
        }
        b.append(" ;;\n");
    }

    /** {@code '*'{-e,--env}'[Set a variable]:KEY=VAL: '}: repeatable ones with a star, others excluding their twin. */
    private static String zshOption(Opt<?> o) {
        String description = "[" + escape(firstSentence(o.help())) + "]";
        String value = o.isFlag() ? "" : ":" + escape(o.label()) + ":" + switch (o.completes()) {
            case FILES -> "_files";
            case WORDS -> "(" + String.join(" ", o.words()) + ")";
            case ANYTHING -> " ";
        };
        if (o.shortName() == null) {
            return (o.isRepeatable() ? "'*'" : "") + quote(o.longName() + description + value);
        }
        String prefix = o.isRepeatable() ? "'*'" : quote("(" + o.shortName() + " " + o.longName() + ")");
        return prefix + "{" + o.shortName() + "," + o.longName() + "}" + quote(description + value);
    }

    private static String firstSentence(String help) {
        int end = help.indexOf(". ");
        return (end < 0 ? help : help.substring(0, end)).replaceAll("\\.$", "");
    }

    /** Text inside a zsh spec: brackets and colons would end its fields. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    /** A word in single quotes for the shell. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
