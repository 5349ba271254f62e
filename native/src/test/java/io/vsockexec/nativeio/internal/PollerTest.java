package io.vsockexec.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The poller's life: started by the first wait, and quiet (not inside a native call) once the JVM shuts down. */
class PollerTest {
    @Test
    void startsAtTheFirstWaitAndOnceQuietNapsInJavaWhileStillServingWaits() throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), QuietPollerMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out.lines().toList()).as(out).isEqualTo(List.of(
                "before any wait: not started",
                "waiting: never parked, read 1 byte",
                "quiet: parked at times, read 1 byte"));
        assertThat(p.exitValue()).isZero();
    }

    /** This JVM's module path and class path, as one class path for the child (surefire may run on either). */
    private static String classPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""),
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", "")))
                .filter(path -> !path.isEmpty())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
