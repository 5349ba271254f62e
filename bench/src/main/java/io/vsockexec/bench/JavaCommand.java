package io.vsockexec.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line that runs a main class of this JVM's code in a JVM of its own, on the class path
 * as the {@code ./vsockexec} launcher runs it. The tests start agents and the CLI this way: their
 * own JVM may run on the module path (surefire does, for modules with a {@code module-info.java}),
 * so the child's class path is this JVM's module path and class path together.
 */
public final class JavaCommand {
    private JavaCommand() {}

    /**
     * {@code java --enable-native-access=ALL-UNNAMED OPTIONS -cp PATH MAIN}, with this JVM's java.
     *
     * @param mainClass the class to run, e.g. {@code io.vsockexec.cli.Main}
     * @param jvmOptions more JVM options, e.g. {@code -XX:TieredStopAtLevel=1}
     */
    public static List<String> of(String mainClass, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath(), mainClass));
        return command;
    }

    /**
     * This JVM's module path, then its class path: surefire's own property for the latter when it
     * runs tests through a manifest-only jar, which lists the real entries in its manifest.
     */
    static String classPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
        return Stream.of(System.getProperty("jdk.module.path", ""), classPath)
                .filter(path -> !path.isEmpty())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
