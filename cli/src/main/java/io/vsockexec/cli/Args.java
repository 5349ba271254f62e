package io.vsockexec.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A parsed command line: each option's values, the arguments, and the words handed on after {@code --}. */
final class Args {
    private final Map<Opt<?>, List<Object>> values = new HashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private final List<String> passThrough = new ArrayList<>();

    /** The option's value, the last one if it was repeated; null if it was not given. */
    <T> T get(Opt<T> option) {
        List<T> all = all(option);
        return all.isEmpty() ? null : all.getLast();
    }

    /** The option's value, or {@code fallback} if it was not given. */
    <T> T get(Opt<T> option, T fallback) {
        T value = get(option);
        return value == null ? fallback : value;
    }

    /** True when the option was given. */
    boolean has(Opt<?> option) {
        return values.containsKey(option);
    }

    /** Every value of the option, in command-line order; empty if it was not given. */
    @SuppressWarnings("unchecked") // add() stores only what the option's own parser returned
    <T> List<T> all(Opt<T> option) {
        return (List<T>) values.getOrDefault(option, List.of());
    }

    /** The arguments, in order. */
    List<String> arguments() {
        return arguments;
    }

    /** The words after {@code --} of a command that hands them on. */
    List<String> passThrough() {
        return passThrough;
    }

    <T> void add(Opt<T> option, T value) {
        values.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
    }

    void addArgument(String word) {
        arguments.add(word);
    }

    void addPassThrough(String word) {
        passThrough.add(word);
    }
}
