package io.vsockexec.client;

import static io.vsockexec.copy.fixture.SampleTree.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.copy.TreeManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's streamed copies against the real agent: a tree both ways, identical; docker cp's
 * placement; tar streams; the errors of bad input; and agents that do not know the requests.
 */
class CopyTest {
    private static final int BIG = 64 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aTreeCopiedInAndOutOverAUnixSocketArrivesWithItsContentModesTimesAndLinks() throws Exception {
        roundTrip("unix");
    }

    @Test
    void aTreeCopiedInAndOutOverAHybridSocketArrivesWithItsContentModesTimesAndLinks() throws Exception {
        roundTrip("hybrid");
    }

    private void roundTrip(String transport) throws Exception {
        Path src = tree(dir.resolve("site"), BIG);
        Path guest = Files.createDirectory(dir.resolve("guest"));
        Path back = Files.createDirectory(dir.resolve("back"));
        try (RealAgent agent = transport.equals("unix") ? RealAgent.startOnUnix(dir) : RealAgent.start(dir)) {
            AtomicLong sent = new AtomicLong();
            CopyStats in = agent.client().copyTo(src, guest + "/", "", sent::set);
            CopyStats out = agent.client().copyFrom(guest + "/site", back);

            assertThat(TreeManifest.of(guest.resolve("site"))).isEqualTo(TreeManifest.of(src));
            assertThat(TreeManifest.of(back.resolve("site"))).isEqualTo(TreeManifest.of(src));
            assertThat(in).isEqualTo(out).isEqualTo(new CopyStats(7, BIG + 6L, 0, ""));
            assertThat(sent.get()).isGreaterThan(BIG);
        }
    }

    @Test
    void aCopyOutsProgressCountsTheTarStreamAsItIsRead() throws Exception {
        Path src = tree(dir.resolve("site"), 100_000);
        try (RealAgent agent = RealAgent.start(dir)) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            agent.client().copyFrom(src.toString(), tar);
            AtomicLong received = new AtomicLong();
            agent.client().copyFrom(src.toString(), Files.createDirectory(dir.resolve("back")), received::set);

            // The extraction stops at the archive's end marker; the padding after it is drained uncounted.
            assertThat(received.get()).isGreaterThan(100_006L).isLessThanOrEqualTo(tar.size());
        }
    }

    @Test
    void aNewDestinationTakesTheSourcesPlaceAndSlashDotCopiesTheContent() throws Exception {
        Path src = tree(dir.resolve("site"), 10);
        try (RealAgent agent = RealAgent.start(dir)) {
            agent.client().copyTo(src, dir + "/renamed");
            Path content = Files.createDirectory(dir.resolve("content"));
            agent.client().copyTo(Path.of(src + "/."), content.toString());
            agent.client().copyFrom(dir + "/site/a/b/secret", dir.resolve("secret-copy"));

            assertThat(TreeManifest.of(dir.resolve("renamed"))).isEqualTo(TreeManifest.of(src));
            assertThat(content.resolve("a/b/secret")).exists();
            assertThat(Files.readString(dir.resolve("secret-copy"))).isEqualTo("hello\n");
        }
    }

    @Test
    void aTarStreamGoesOutAndComesBackIn() throws Exception {
        Path src = tree(dir.resolve("site"), 1000);
        Path dest = Files.createDirectory(dir.resolve("dest"));
        try (RealAgent agent = RealAgent.start(dir)) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            agent.client().copyFrom(src.toString(), tar);
            agent.client().copyTo(new ByteArrayInputStream(tar.toByteArray()), dest.toString(), "");

            assertThat(TreeManifest.of(dest.resolve("site"))).isEqualTo(TreeManifest.of(src));
        }
    }

    @Test
    void badInputIsAnsweredWithTheAgentsReasonAndWritesNothing() throws Exception {
        Path src = tree(dir.resolve("site"), 10);
        Path file = Files.writeString(dir.resolve("file"), "x");
        try (RealAgent agent = RealAgent.start(dir)) {
            VsockExecClient c = agent.client();
            assertThatThrownBy(() -> c.copyFrom(dir + "/missing", dir.resolve("m")))
                    .isInstanceOf(RemoteFileException.class).hasMessageContaining("no such file or directory");
            assertThatThrownBy(() -> c.copyTo(src, file + "/"))
                    .isInstanceOf(RemoteFileException.class).hasMessageContaining("not a directory");
            assertThatThrownBy(() -> c.copyTo(src, dir + "/no/such/parent"))
                    .isInstanceOf(RemoteFileException.class).hasMessageContaining("no such file or directory");
            assertThatThrownBy(() -> c.copyTo(src, dir + "/x", "no-such-user-here", null))
                    .isInstanceOf(RemoteFileException.class).hasMessageContaining("no-such-user-here");
            assertThatThrownBy(() -> c.copyTo(src, "relative")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.copyFrom(dir + "/site", failing()))
                    .isInstanceOf(VsockExecException.class);
        }
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void aTrailingSlashOnTheVmsPathCopiesADirectoryAsDockerCpDoes() throws Exception {
        Path src = tree(dir.resolve("site"), 10);
        Path existing = Files.createDirectory(dir.resolve("existing"));
        try (RealAgent agent = RealAgent.start(dir)) {
            agent.client().copyFrom(src + "/", dir.resolve("renamed"));
            agent.client().copyFrom(src + "/", existing);

            assertThatThrownBy(() -> agent.client().copyFrom(src + "/data/", dir.resolve("data-copy")))
                    .isInstanceOf(RemoteFileException.class).hasMessageEndingWith("data/: not a directory");
        }
        assertThat(TreeManifest.of(dir.resolve("renamed"))).isEqualTo(TreeManifest.of(src));
        assertThat(TreeManifest.of(existing.resolve("site"))).isEqualTo(TreeManifest.of(src));
        assertThat(dir.resolve("data-copy")).doesNotExist();
    }

    @Test
    void aLocalPathThatCannotTakeTheCopyFailsBeforeTheAgentIsAsked() throws Exception {
        // Nothing listens here: a call that got as far as connecting would fail to connect instead.
        VsockExecClient nowhere = VsockExecClient.connect("unix://" + dir.resolve("nobody.sock"));

        assertThatThrownBy(() -> nowhere.copyTo(dir.resolve("missing"), "/tmp/x"))
                .isInstanceOf(LocalFileException.class).hasMessage("copy " + dir.resolve("missing") + ": no such file or directory");
        assertThatThrownBy(() -> nowhere.copyFrom("/etc/hostname", dir.resolve("no/parent/x")))
                .isInstanceOf(LocalFileException.class).hasMessageContaining("no such file or directory");
    }

    @Test
    void aLocalFileWhereADirectoryIsNeededIsALocalFailure() throws Exception {
        Path src = tree(dir.resolve("site"), 10);
        Path file = Files.writeString(dir.resolve("file"), "keep");
        try (RealAgent agent = RealAgent.start(dir)) {
            assertThatThrownBy(() -> agent.client().copyFrom(src.toString(), file))
                    .isInstanceOf(LocalFileException.class).hasMessageContaining("cannot overwrite non-directory " + file);
        }
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void anAgentThatDoesNotKnowTheCopiesSaysSoEitherWay() throws Exception {
        Path src = tree(dir.resolve("site"), 10);
        try (FakeAgent silent = FakeAgent.listen(io.vsockexec.transport.Endpoint.parse("unix://" + dir.resolve("a.sock")),
                peer -> { })) {
            assertThatThrownBy(() -> silent.client().copyTo(src, "/tmp"))
                    .isInstanceOfSatisfying(UnsupportedRequestException.class, e -> assertThat(e.request()).isEqualTo("CopyIn"));
        }
        try (FakeAgent older = FakeAgent.listen(io.vsockexec.transport.Endpoint.parse("unix://" + dir.resolve("b.sock")),
                peer -> peer.result(1, null, null, "unknown message type 129"))) {
            assertThatThrownBy(() -> older.client().copyFrom("/etc", dir.resolve("etc")))
                    .isInstanceOfSatisfying(UnsupportedRequestException.class, e -> assertThat(e.request()).isEqualTo("CopyOut"));
        }
    }

    private static OutputStream failing() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
    }
}
