package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.client.CopyStats;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * vsockexec's streamed copies (CopyIn, CopyOut) against the agent under test: a tree with nested
 * directories, a file larger than the Go requests carry (16 MiB + 1), a mode-600 file and a
 * symbolic link, copied into the agent's machine and back, identical in content, modes, times and
 * links; and a missing source refused with the agent's reason. Both sides are described by the
 * same shell script ({@link #MANIFEST}), here and on the agent's machine, so the comparison holds
 * when the agent runs in a VM. Part of {@link ConformanceSuite}.
 */
interface CopyConformance {
    /** Larger than WriteFile and ReadFile carry: only a streamed copy moves it. */
    int BIG = 16 * 1024 * 1024 + 1;

    /** One line per entry of the tree at $1: name, then link target, or mode and time (and checksum). */
    String MANIFEST = "cd \"$1\" && find . | LC_ALL=C sort | while IFS= read -r p; do"
            + " if [ -L \"$p\" ]; then echo \"$p -> $(readlink \"$p\")\";"
            + " elif [ -f \"$p\" ]; then echo \"$p $(stat -c '%a %Y' \"$p\") $(sha256sum < \"$p\" | cut -c1-64)\";"
            + " else echo \"$p $(stat -c '%a %Y' \"$p\")\"; fi; done";

    /** A tree at $1/site: nested directories, $2 random bytes, a mode-600 file, a link, old times. */
    String TREE = "mkdir -p \"$1/site/a/b\" \"$1/site/a/empty\" && cd \"$1/site\""
            + " && head -c \"$2\" /dev/urandom > data && printf 'hello\\n' > a/b/secret && chmod 600 a/b/secret"
            + " && chmod 750 a/empty && ln -s a/b/secret link"
            + " && touch -h -d @1600000000 data a/b/secret a/empty a/b a link .";

    /** The agent's exec endpoint. */
    Endpoint agentEndpoint();

    /** The machine the agent runs on. */
    AgentMachine agentMachine();

    @Test
    default void aTreeCopiedIntoTheAgentsMachineAndBackIsIdentical() throws Exception {
        Path here = Files.createTempDirectory("vsockexec-copy-");
        Path there = Path.of(agentMachine().shell("mktemp -d \"${TMPDIR:-/tmp}/vsockexec-copy.XXXXXXXX\"").strip());
        try {
            AgentMachine.local().shell(TREE, here.toString(), Integer.toString(BIG));
            Path back = Files.createDirectory(here.resolve("back"));
            VsockExecClient client = VsockExecClient.of(agentEndpoint());

            CopyStats in = client.copyTo(here.resolve("site"), there + "/");
            CopyStats out = client.copyFrom(there + "/site", back);

            String source = AgentMachine.local().shell(MANIFEST, here.resolve("site").toString());
            assertThat(agentMachine().shell(MANIFEST, there + "/site")).isEqualTo(source);
            assertThat(AgentMachine.local().shell(MANIFEST, back.resolve("site").toString())).isEqualTo(source);
            assertThat(in).isEqualTo(out);
            assertThat(in.bytes()).isEqualTo(BIG + 6L);
        } finally {
            agentMachine().shell("rm -rf \"$1\"", there.toString());
            AgentMachine.local().shell("rm -rf \"$1\"", here.toString());
        }
    }

    @Test
    default void aMissingSourceIsRefusedWithTheAgentsReason() throws IOException {
        Path here = Files.createTempDirectory("vsockexec-copy-");
        try {
            assertThatThrownBy(() -> VsockExecClient.of(agentEndpoint()).copyFrom("/nonexistent/vsockexec", here.resolve("x")))
                    .isInstanceOf(RemoteFileException.class).hasMessageContaining("no such file or directory");
            assertThat(here.resolve("x")).doesNotExist();
        } finally {
            AgentMachine.local().shell("rm -rf \"$1\"", here.toString());
        }
    }
}
