package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.internal.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalTest {

    /** Opens the slave of {@code pty} in this process, without making it our controlling terminal. */
    private static int openSlave(Pty pty) {
        int fd = Libc.open(pty.slavePath(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        assertThat(fd).as("open %s", pty.slavePath()).isGreaterThanOrEqualTo(0);
        return fd;
    }

    /** The settings of the terminal at {@code path} as {@code stty -a} prints them, split into words. */
    private static List<String> sttySettings(String path) throws IOException, InterruptedException {
        Process stty = new ProcessBuilder("/bin/sh", "-c", "stty -a < " + path).redirectErrorStream(true).start();
        String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stty.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return List.of(out.split("[\\s;]+"));
    }

    @Test
    void reportsTheWindowSizeOfATerminal() throws Exception {
        try (Pty pty = Pty.open(33, 101)) {
            int fd = openSlave(pty);
            try {
                assertThat(Terminal.isTerminal(fd)).isTrue();
                assertThat(Terminal.size(fd)).isEqualTo(new Terminal.Size(33, 101));
                pty.resize(40, 120);
                assertThat(Terminal.size(fd)).isEqualTo(new Terminal.Size(40, 120));
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void rawModeTurnsOffEchoAndLineEditingAndRestoreBringsThemBack() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            int fd = openSlave(pty);
            try {
                assertThat(sttySettings(pty.slavePath())).contains("icanon", "echo", "isig");
                Terminal.RawMode raw = Terminal.enterRawMode(fd);
                assertThat(sttySettings(pty.slavePath())).contains("-icanon", "-echo", "-isig");
                raw.restore();
                raw.close(); // a second restore is a no-op
                assertThat(raw.isRestored()).isTrue();
                assertThat(sttySettings(pty.slavePath())).contains("icanon", "echo", "isig");
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void aPipeIsNotATerminalAndHasNoSize() throws Exception {
        try (Pipe pipe = Pipe.fromChild("test")) {
            int fd = pipe.parentEnd().withFd(f -> f);
            assertThat(Terminal.isTerminal(fd)).isFalse();
            assertThatThrownBy(() -> Terminal.size(fd))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("ENOTTY")
                    .hasMessageContaining("fd " + fd);
            assertThatThrownBy(() -> Terminal.enterRawMode(fd)).hasMessageContaining("ENOTTY");
        }
    }
}
