package io.vsockexec.nativeio.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A test's main class run in a JVM of its own, for what cannot be undone or must start fresh. */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code args} on this JVM's java, class and module paths, native access
     * and {@code jvmOptions}, and returns its standard output and error once it has exited 0.
     *
     * @throws AssertionError if it runs more than a minute or exits otherwise, with its output
     */
    static String run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " still running after a minute:\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(main.getSimpleName() + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** This JVM's module path and class path, as one class path for the child (surefire may run on either). */
    private static String classPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""),
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", "")))
                .filter(path -> !path.isEmpty())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
