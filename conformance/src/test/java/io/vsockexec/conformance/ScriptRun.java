package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A script of {@code scripts/} run to its end by bash, as the end-to-end integration tests run
 * them: its output (standard error merged in) goes to the build log as it comes and is kept.
 *
 * @param status its exit status; {@link #SKIPPED} when what it needs is not on this machine
 * @param lines every line it printed
 */
record ScriptRun(int status, List<String> lines) {
    /** The exit status of a script that skipped itself. */
    static final int SKIPPED = 77;

    /**
     * Runs {@code scripts/NAME}, echoing its first {@code maxEchoed} lines; fails if it is still
     * running after {@code limit}, which only catches a script that hangs past its own limit.
     */
    static ScriptRun of(String name, int maxEchoed, Duration limit) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts").resolve(name);
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (lines.size() < maxEchoed) {
                    System.out.println(line);
                }
                lines.add(line);
            }
        }
        assertThat(p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new ScriptRun(p.exitValue(), List.copyOf(lines));
    }

    /** Whether the script skipped itself. */
    boolean skipped() {
        return status == SKIPPED;
    }
}
