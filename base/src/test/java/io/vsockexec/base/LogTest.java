package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {
    private final List<String> lines = new ArrayList<>();
    private final Log log = Log.to("vsockexec agent", lines::add);

    @AfterEach
    void debugOff() {
        Log.enableDebug(false);
    }

    @Test
    void noticesAndWarningsAreOneLineEachAfterTheProgramName() {
        log.info("session 7 exec-pipe /usr/bin/cat user=- exit=0 1.2s");
        log.warning("accept failed");
        assertThat(lines).containsExactly(
                "vsockexec agent: session 7 exec-pipe /usr/bin/cat user=- exit=0 1.2s",
                "vsockexec agent: warning: accept failed");
    }

    @Test
    void debugLinesAreNeitherWrittenNorBuiltWhileDebugIsOff() {
        AtomicBoolean built = new AtomicBoolean();
        log.debug(() -> {
            built.set(true);
            return "expensive";
        });
        assertThat(lines).isEmpty();
        assertThat(built).isFalse();
    }

    @Test
    void debugLinesNameTheirCauseAndCarryItsStackTrace() {
        Log.enableDebug(true);
        log.debug(() -> "session 3 failed", new IOException("broken pipe"));
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).startsWith("vsockexec agent: debug: session 3 failed: java.io.IOException: broken pipe");
            // On the module path a frame reads "at io.vsockexec.base@VERSION/io.vsockexec.base.LogTest...".
            assertThat(line).contains("io.vsockexec.base.LogTest.debugLinesNameTheirCause");
        });
    }
}
