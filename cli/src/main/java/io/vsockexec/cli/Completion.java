package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Shell completion scripts for bash and zsh, made from the commands' tables: the commands, each
 * command's options, and the values a shell can offer (file names, fixed words).
 */
final class Completion {
    /** The bash script around the per-command cases: the command, then its options or arguments. */
    private static final String BASH = """
            # bash completion for vsockexec: source <(vsockexec completion bash)
            _vsockexec() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= i
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case ${COMP_WORDS[i]} in -*) ;; *) command=${COMP_WORDS[i]}; break ;; esac
                done
                local options= arguments=
                case $command in
                    '') options='--version -h --help -v --verbose'; arguments='%s' ;;
            %s    esac
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$options" -- "$cur"))
                else
                    COMPREPLY=($(compgen -W "$arguments" -- "$cur"))
                fi
            }
            complete -F _vsockexec vsockexec
            """;
    /** The zsh script around the commands' descriptions and per-command {@code _arguments}. */
    private static final String ZSH = """
            #compdef vsockexec
            # zsh completion for vsockexec: vsockexec completion zsh > "${fpath[1]}/_vsockexec"
            _vsockexec() {
                local curcontext=$curcontext state line
                local -a commands
                commands=(
            %s    )
                _arguments -C \\
                    '--version[Print the version and exit]' \\
                    '(-h --help)'{-h,--help}'[Print the help and exit]' \\
                    '(-v --verbose)'{-v,--verbose}'[Debug lines on stderr]' \\
                    '1: :->command' '*:: :->arguments'
                case $state in
                    command) _describe -t commands 'vsockexec command' commands ;;
                    arguments)
                        case $words[1] in
            %s            esac ;;
                esac
            }
            _vsockexec "$@"
            """;

    private Completion() {}

    /** The bash script: defines {@code _vsockexec} and registers it for {@code vsockexec}. */
    static String bash(List<CommandSpec> commands) {
        StringBuilder cases = new StringBuilder();
        for (CommandSpec spec : commands) {
            bashCommand(cases, spec);
        }
        return BASH.formatted(String.join(" ", Commands.NAMES), cases);
    }

    /** One command's case: what follows each option that takes a value, then its options and arguments. */
    private static void bashCommand(StringBuilder b, CommandSpec spec) {
        List<String> names = new ArrayList<>();
        b.append("        ").append(spec.name()).append(")\n");
        for (Opt<?> o : spec.options()) {
            List<String> own = o.shortName() == null ? List.of(o.longName()) : List.of(o.shortName(), o.longName());
            names.addAll(own);
            if (!o.isFlag()) {
                String reply = switch (o.completes()) {
                    case FILES -> "COMPREPLY=($(compgen -f -- \"$cur\"))";
                    case WORDS -> "COMPREPLY=($(compgen -W '" + String.join(" ", o.words()) + "' -- \"$cur\"))";
                    case ANYTHING -> "COMPREPLY=()";
                };
                b.append("            case $prev in ").append(String.join("|", own)).append(") ").append(reply)
                        .append("; return ;; esac\n");
            }
        }
        b.append("            options='").append(String.join(" ", names)).append("'; arguments='")
                .append(String.join(" ", spec.argumentWords())).append("' ;;\n");
    }

    /** The zsh script, for a file {@code _vsockexec} on {@code $fpath}. */
    static String zsh(List<CommandSpec> commands) {
        StringBuilder descriptions = new StringBuilder();
        StringBuilder cases = new StringBuilder();
        for (CommandSpec spec : commands) {
            descriptions.append("        ").append(quote(spec.name() + ":" + escape(spec.summary()))).append('\n');
            zshCommand(cases, spec);
        }
        return ZSH.formatted(descriptions, cases);
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
        String sentence = end < 0 ? help : help.substring(0, end);
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
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
