package io.vsockexec.conformance;

import static io.vsockexec.conformance.FrameClient.PATIENCE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Timeout;
import io.vsockexec.client.RemoteFile;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.protocol.FileInfo;
import io.vsockexec.protocol.GoFileMode;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The file requests of the Go reference (WriteFile, ReadFile, ListFiles, answered by FileResult),
 * as matchlock's own host functions use them ({@link GoHost}) and as the SDK does, against the
 * agent under test: round trips up to the 16 MiB limit, Go's bytes and error texts, and the bad
 * inputs, each with a clear error and nothing half-written. The agent runs on this machine, so a
 * test prepares and checks files itself. Part of {@link ConformanceSuite}.
 */
interface FileConformance {
    int MIB = 1 << 20;
    int LIMIT = 16 * MIB;

    /** The agent's exec endpoint. */
    Endpoint agentEndpoint();

    /** A directory of this test class's own, on the agent's machine. */
    Path scratch();

    // ---------------------------------------------------------------- matchlock's host, byte for byte

    @Test
    default void goHostWritesReadsAndListsAFileThroughThisAgent() throws Exception {
        Path file = scratch().resolve("go-host/a/b/hello.txt");
        byte[] content = "hello from Go\n".getBytes(UTF_8);

        GoHost.writeFile(dial(), file.toString(), content, 0600);

        assertThat(GoHost.readFile(dial(), file.toString())).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(GoHost.listFiles(dial(), file.getParent().toString()))
                .containsExactly(new FileInfo("hello.txt", content.length, 0600, false));
        FileInfo b = GoHost.listFiles(dial(), scratch().resolve("go-host/a").toString()).getFirst();
        assertThat(b).isEqualTo(new FileInfo("b", Files.size(file.getParent()), goMode(file.getParent()), true));
    }

    @Test
    default void aSuccessfulWriteIsAnsweredWithExactlyTheGoAgentsBytes() throws Exception {
        Path file = scratch().resolve("exact-bytes.txt");
        String json = "{\"path\":\"" + file + "\",\"content\":\"aGkK\",\"mode\":420}";
        try (Connection c = dial()) {
            GoHost.sendMessage(c, MessageType.WRITE_FILE.code(), json.getBytes(UTF_8));

            assertThat(HexFormat.of().formatHex(c.input().readAllBytes())).isEqualTo("11000000027b7d");
        }
        assertThat(Files.readString(file)).isEqualTo("hi\n");
    }

    @Test
    default void aMissingFileIsReportedInTheGoAgentsWords() throws Exception {
        try (Connection c = dial()) {
            GoHost.sendMessage(c, MessageType.READ_FILE.code(), "{\"path\":\"/nonexistent\"}".getBytes(UTF_8));

            byte[] reply = c.input().readAllBytes();
            assertThat(new String(reply, 5, reply.length - 5, UTF_8))
                    .isEqualTo("{\"error\":\"open /nonexistent: no such file or directory\"}");
            assertThat(reply[0]).isEqualTo((byte) MessageType.FILE_RESULT.code());
        }
    }

    @Test
    default void aListingHasGoFileModesAndShowsLinksAsThemselves() throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("listing"));
        Path sub = Files.createDirectory(dir.resolve("d"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(dir.resolve("f"), "abc");
        Files.setPosixFilePermissions(dir.resolve("f"), PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(dir.resolve("l"), sub);

        List<FileInfo> listed = GoHost.listFiles(dial(), dir.toString());

        assertThat(listed).containsExactly(
                new FileInfo("d", Files.size(sub), GoFileMode.DIR | 0750, true),
                new FileInfo("f", 3, 0644, false),
                new FileInfo("l", Files.readSymbolicLink(link).toString().length(), GoFileMode.SYMLINK | 0777, false));
        assertThat(Long.toOctalString(listed.getFirst().mode())).isEqualTo("20000000750");
        assertThat(client().list(dir.toString())).extracting(RemoteFile::mode).containsExactly(040750, 0100644, 0120777);
    }

    // ---------------------------------------------------------------- the 16 MiB limit

    @Test
    default void sixteenMebibytesGoBothWaysAndOneByteMoreIsRefused() throws Exception {
        Path file = scratch().resolve("limit/16MiB.bin");
        byte[] content = random(LIMIT);

        client().writeFile(file.toString(), content, 0644);

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(client().readFile(file.toString())).isEqualTo(content);
        assertThat(GoHost.readFile(dial(), file.toString())).isEqualTo(content);
        Path over = Files.write(scratch().resolve("limit/over.bin"), random(LIMIT + 1));
        assertThatThrownBy(() -> GoHost.readFile(dial(), over.toString()))
                .hasMessage("guest file operation: read_file exceeds 16777216 bytes: " + over);
        assertThatThrownBy(() -> client().readFile(over.toString())).isInstanceOf(RemoteFileException.class);
    }

    @Test
    default void aWriteOverTheLimitIsRefusedAndWritesNothing() throws Exception {
        Path file = scratch().resolve("limit-write/over.bin");

        assertThatThrownBy(() -> GoHost.writeFile(dial(), file.toString(), random(LIMIT + 1), 0644))
                .hasMessage("guest file operation: write_file exceeds 16777216 bytes: " + file);

        assertThat(leftovers(file.getParent())).isEmpty();
    }

    // ---------------------------------------------------------------- bad input

    @Test
    default void badPathsAreRefusedWithAClearError() throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("bad-paths"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        String missing = dir.resolve("missing/x").toString();

        assertGoError(() -> GoHost.readFile(dial(), "relative/x"), "path must be absolute: \"relative/x\"");
        assertGoError(() -> GoHost.writeFile(dial(), "", new byte[1], 0), "path must not be empty");
        assertGoError(() -> GoHost.readFile(dial(), missing), "open " + missing + ": no such file or directory");
        assertGoError(() -> GoHost.listFiles(dial(), missing), "open " + missing + ": no such file or directory");
        assertGoError(() -> GoHost.readFile(dial(), dir.toString()), "read_file only supports regular files: " + dir);
        assertGoError(() -> GoHost.listFiles(dial(), file.toString()), "open " + file + ": not a directory");
        assertGoError(() -> GoHost.writeFile(dial(), file + "/x", new byte[1], 0), "mkdir " + file + ": not a directory");
        assertGoError(() -> GoHost.writeFile(dial(), dir.toString(), new byte[1], 0), "open " + dir + ": is a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    default void aMalformedWriteIsAnsweredAfterItsPayloadAndWritesNothing() throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("malformed"));
        Path file = dir.resolve("never");
        String json = "{\"path\":\"" + file + "\",\"content\":\"" + "A".repeat(300_000) + "%%%%\",\"mode\":420}";
        try (Connection c = dial()) {
            GoHost.sendMessage(c, MessageType.WRITE_FILE.code(), json.getBytes(UTF_8));
            byte[] reply = c.input().readAllBytes();

            assertThat(new String(reply, 5, reply.length - 5, UTF_8))
                    .startsWith("{\"error\":\"invalid request: invalid WriteFileRequest payload: field \\\"content\\\" is not"
                            + " valid base64");
        }
        assertThat(Files.exists(file)).isFalse();
        assertThat(leftovers(dir)).isEmpty();
    }

    // ---------------------------------------------------------------- what a write does to what is there

    @Test
    default void anOverwriteReplacesTheFileWholeWithTheRequestedMode() throws Exception {
        Path file = Files.writeString(Files.createDirectories(scratch().resolve("overwrite")).resolve("f"), "old old old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        client().writeFile(file.toString(), "new".getBytes(UTF_8), 0600);

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(leftovers(file.getParent())).isEmpty();
    }

    @Test
    default void aModeOfZeroWritesAFileOfMode0644AndGoFlagsBecomePosixBits() throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("modes"));

        GoHost.writeFile(dial(), dir.resolve("zero").toString(), new byte[0], 0);
        GoHost.writeFile(dial(), dir.resolve("setgid").toString(), null, GoFileMode.SETGID | 0750);

        assertThat(mode(dir.resolve("zero"))).isEqualTo(0100644);
        assertThat(mode(dir.resolve("setgid"))).isEqualTo(0102750);
        assertThat(Files.size(dir.resolve("setgid"))).isZero();
    }

    @Test
    default void aSymbolicLinkAtThePathIsFollowed() throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("follow"));
        Path target = Files.writeString(dir.resolve("target"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());

        client().writeFile(link.toString(), "new".getBytes(UTF_8));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("new");
    }

    @Test
    default void aReadStreamsIntoTheCallersStream() throws Exception {
        Path file = Files.write(Files.createDirectories(scratch().resolve("stream")).resolve("f"), random(3 * MIB + 7));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long n = client().readFile(file.toString(), out);

        assertThat(n).isEqualTo(3 * MIB + 7);
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(file));
    }

    // ---------------------------------------------------------------- helpers

    private VsockExecClient client() {
        return VsockExecClient.of(agentEndpoint());
    }

    private Connection dial() throws IOException {
        Connection c = Transports.dial(agentEndpoint(), Deadline.after(PATIENCE));
        c.readTimeout(Timeout.of(PATIENCE));
        return c;
    }

    /** A Go call that must fail with {@code guest file operation: REASON}. */
    private static void assertGoError(GoCall call, String reason) {
        assertThatThrownBy(call::run).isInstanceOf(GoHost.GoError.class).hasMessage("guest file operation: " + reason);
    }

    /** A call of {@link GoHost}. */
    @FunctionalInterface
    interface GoCall {
        void run() throws Exception;
    }

    /** Temporary files a write left in {@code dir}. */
    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".vsockexec-part")).toList();
        }
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    private static long goMode(Path p) throws IOException {
        return GoFileMode.fromPosix(mode(p));
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
