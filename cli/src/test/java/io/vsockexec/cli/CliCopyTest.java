package io.vsockexec.cli;

import static io.vsockexec.copy.fixture.SampleTree.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vsockexec.copy.TreeManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vsockexec cp} in a child JVM against a real agent, and against one without streamed copies. */
class CliCopyTest extends AgentCliTest {
    private static CliProcess.Result cp(String... words) throws Exception {
        return run("cp", List.of(words));
    }

    @Test
    void aTreeCopiedInAndOutIsIdentical() throws Exception {
        Path src = tree(dir.resolve("in1/site"), 3_000_000, true);
        Path guest = Files.createDirectories(dir.resolve("guest1"));
        Path back = Files.createDirectories(dir.resolve("back1"));

        CliProcess.Result in = cp(src.toString(), ":" + guest);
        CliProcess.Result out = cp(":" + guest + "/site", back.toString());

        assertThat(in.exitCode()).as(in.stderr()).isZero();
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        assertThat(in.stderr() + out.stderr()).isEmpty();
        assertThat(TreeManifest.of(guest.resolve("site"))).isEqualTo(TreeManifest.of(src));
        assertThat(TreeManifest.of(back.resolve("site"))).isEqualTo(TreeManifest.of(src));
    }

    @Test
    void dashIsATarStreamOnStandardOutputAndInput() throws Exception {
        Path src = tree(dir.resolve("in2/site"), 1000, true);
        Path dest = Files.createDirectories(dir.resolve("dest2"));

        CliProcess.Result tar = cp(":" + src, "-");
        CliProcess.Result in = CliProcess.run(List.of("cp", "--connect", endpoint, "-", ":" + dest), Map.of(), tar.stdout());

        assertThat(tar.exitCode()).as(tar.stderr()).isZero();
        assertThat(in.exitCode()).as(in.stderr()).isZero();
        assertThat(TreeManifest.of(dest.resolve("site"))).isEqualTo(TreeManifest.of(src));
    }

    @Test
    void filesCopiedAsAUserBelongToIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving files away needs root");
        Path src = tree(dir.resolve("in3/site"), 10, true);
        Path dest = dir.resolve("dest3");

        CliProcess.Result r = cp("-u", "65534:65534", src.toString(), ":" + dest);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        try (var all = Files.walk(dest)) {
            for (Path p : all.toList()) {
                assertThat(Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(65534);
            }
        }
    }

    @Test
    void aCommandLineWithoutOneSideInTheVmIsAUsageError() throws Exception {
        assertThat(cp("a", "b").exitCode()).isEqualTo(2);
        assertThat(cp(":/a", ":/b").exitCode()).isEqualTo(2);
        CliProcess.Result relative = cp("a", ":b");
        assertThat(relative.exitCode()).isEqualTo(2);
        assertThat(relative.stderr()).contains("must be absolute");
        CliProcess.Result relativeSource = cp(":b", dir.toString());
        assertThat(relativeSource.exitCode()).isEqualTo(2);
        assertThat(relativeSource.stderr()).contains("a path in the VM must be absolute: :b");
    }

    @Test
    void aMissingSourceFailsWithTheAgentsReason() throws Exception {
        CliProcess.Result r = cp(":" + dir + "/no-such", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("no such file or directory");
    }

    @Test
    void severalSourcesIntoADestinationThatIsNoDirectoryFailBeforeAnythingIsWritten() throws Exception {
        Path a = Files.writeString(dir.resolve("multi-a"), "a");
        Path b = Files.writeString(dir.resolve("multi-b"), "b");
        Path file = Files.writeString(dir.resolve("multi-file"), "keep");

        CliProcess.Result in = cp(a.toString(), b.toString(), ":" + dir.resolve("multi-new-in"));
        CliProcess.Result out = cp(":" + a, ":" + b, dir.resolve("multi-new-out").toString());
        CliProcess.Result onFile = cp(":" + a, ":" + b, file.toString());

        assertThat(in.exitCode()).as(in.stderr()).isEqualTo(1);
        assertThat(in.stderr()).contains("no such directory").hasLineCount(1);
        assertThat(out.exitCode()).as(out.stderr()).isEqualTo(1);
        assertThat(out.stderr()).isEqualTo("vsockexec: copy to " + dir.resolve("multi-new-out")
                + ": no such directory (several sources are copied into an existing directory)\n");
        assertThat(onFile.exitCode()).isEqualTo(1);
        assertThat(onFile.stderr()).contains(": not a directory (several sources");
        assertThat(dir.resolve("multi-new-in")).doesNotExist();
        assertThat(dir.resolve("multi-new-out")).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void aMissingLocalSourceIsACopyFailureFoundBeforeTheAgentIsAsked() throws Exception {
        CliProcess.Result r = cp(dir.resolve("no-such-local").toString(), ":" + dir + "/");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("vsockexec: copy " + dir.resolve("no-such-local")
                + ": no such file or directory\n");
    }

    @Test
    void aDirectoryOutOfTheVmOntoALocalFileIsACopyFailureAndLeavesTheFile() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("onto-file/d"));
        Files.writeString(tree.resolve("x"), "x");
        Path file = Files.writeString(dir.resolve("onto-file/target"), "keep");

        CliProcess.Result r = cp(":" + tree, file.toString());

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cannot overwrite non-directory " + file).hasLineCount(1);
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void aUserThatDoesNotExistIsACopyFailure() throws Exception {
        Path a = Files.writeString(dir.resolve("user-a"), "a");

        CliProcess.Result r = cp("-u", "no-such-user-here", a.toString(), ":" + dir.resolve("user-copy"));

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("unknown user \"no-such-user-here\"").hasLineCount(1);
        assertThat(dir.resolve("user-copy")).doesNotExist();
    }

    @Test
    void anAgentWithoutStreamedCopiesGetsTheFilesOneByOneWhenTheyFit() throws Exception {
        Path src = tree(dir.resolve("in4/site"), 5000, false);
        Path guest = Files.createDirectories(dir.resolve("guest4"));
        Path back = Files.createDirectories(dir.resolve("back4"));
        Path big = dir.resolve("in4/big");
        try (RandomAccessFileCloser f = new RandomAccessFileCloser(big, CopyFallback.MAX_FILE + 1);
                GoLikeAgent old = GoLikeAgent.start(dir.resolve("old.sock"), dir.resolve("vm.sock"))) {
            String oldEndpoint = "unix://" + dir.resolve("old.sock");
            CliProcess.Result in = CliProcess.run("cp", "--connect", oldEndpoint, src.toString(), ":" + guest);
            CliProcess.Result out = CliProcess.run("cp", "--connect", oldEndpoint, ":" + guest + "/site", back.toString());
            CliProcess.Result tooBig = CliProcess.run("cp", "--connect", oldEndpoint, big.toString(), ":" + guest);

            assertThat(in.exitCode()).as(in.stderr()).isZero();
            assertThat(in.stderr()).contains("copying file by file");
            assertThat(out.exitCode()).as(out.stderr()).isZero();
            assertThat(Files.readString(back.resolve("site/a/b/secret"))).isEqualTo("hello\n");
            assertThat(Files.getAttribute(back.resolve("site/a/b/secret"), "unix:mode")).isEqualTo(0100600);
            assertThat(Files.readAllBytes(back.resolve("site/data"))).isEqualTo(Files.readAllBytes(src.resolve("data")));
            assertThat(tooBig.exitCode()).isEqualTo(1);
            assertThat(tooBig.stderr()).contains("a file over 16 MiB").contains("nothing was copied");
            assertThat(guest.resolve("big")).doesNotExist();
        }
    }

    /** A sparse file of {@code size} bytes, removed at the end. */
    private record RandomAccessFileCloser(Path path, long size) implements AutoCloseable {
        RandomAccessFileCloser {
            try (var f = new java.io.RandomAccessFile(path.toFile(), "rw")) {
                f.setLength(size);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(path);
        }
    }

    /**
     * An agent as the Go reference answers copies: it closes the connection on a request of type
     * 128 or above without a reply, and passes every other request to the real agent.
     */
    private static final class GoLikeAgent implements AutoCloseable {
        private final ServerSocketChannel server;

        private GoLikeAgent(ServerSocketChannel server) {
            this.server = server;
        }

        static GoLikeAgent start(Path socket, Path hybrid) throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            GoLikeAgent agent = new GoLikeAgent(server);
            Thread.ofVirtual().start(() -> agent.serve(hybrid));
            return agent;
        }

        private void serve(Path hybrid) {
            try {
                while (true) {
                    SocketChannel host = server.accept();
                    Thread.ofVirtual().start(() -> relay(host, hybrid));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static void relay(SocketChannel host, Path hybrid) {
            try (host) {
                InputStream in = Channels.newInputStream(host);
                int type = in.read();
                if (type < 0 || type >= 128) {
                    // As Go's agent: the whole frame is read, then the connection closed unanswered.
                    byte[] length = in.readNBytes(4);
                    in.readNBytes(java.nio.ByteBuffer.wrap(length).getInt());
                    return;
                }
                try (SocketChannel agent = SocketChannel.open(UnixDomainSocketAddress.of(hybrid))) {
                    OutputStream toAgent = Channels.newOutputStream(agent);
                    toAgent.write("CONNECT 5000\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    InputStream fromAgent = Channels.newInputStream(agent);
                    StringBuilder ok = new StringBuilder();
                    for (int c = fromAgent.read(); c >= 0 && c != '\n'; c = fromAgent.read()) {
                        ok.append((char) c);
                    }
                    toAgent.write(type);
                    Thread up = Thread.ofVirtual().start(() -> pump(in, toAgent));
                    pump(fromAgent, Channels.newOutputStream(host));
                    up.join();
                }
            } catch (IOException | InterruptedException e) {
                // the test sees what arrived
            }
        }

        private static void pump(InputStream in, OutputStream out) {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
