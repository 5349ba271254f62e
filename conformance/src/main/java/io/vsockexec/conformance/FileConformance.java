package io.vsockexec.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.client.RemoteFile;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.protocol.FileInfo;
import io.vsockexec.protocol.GoFileMode;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The file requests of the Go reference (WriteFile, ReadFile, ListFiles, answered by FileResult),
 * as matchlock's own host functions use them ({@link GoHost}) and as the SDK does, against the
 * agent under test: round trips up to the 16 MiB limit, Go's bytes and error texts, and the bad
 * inputs, each with a clear error and nothing half-written. Each test prepares and checks its
 * files on the agent's machine ({@link #agentMachine()}), in a directory of its own that it
 * removes. Part of {@link ConformanceSuite}.
 */
interface FileConformance {
    int MIB = 1 << 20;
    int LIMIT = 16 * MIB;

    /** The agent's exec endpoint. */
    Endpoint agentEndpoint();

    /** The machine the agent runs on, where a test prepares and checks its files. */
    AgentMachine agentMachine();

    // ---------------------------------------------------------------- matchlock's host, byte for byte

    @Test
    default void goHostWritesReadsAndListsAFileThroughThisAgent() throws Exception {
        inDirectory("go-host", dir -> {
            Path file = dir.resolve("a/b/hello.txt");
            byte[] content = "hello from Go\n".getBytes(UTF_8);

            GoHost.writeFile(this::dial, file.toString(), content, 0600);

            assertThat(GoHost.readFile(dial(), file.toString())).isEqualTo(content);
            assertThat(mode(file)).isEqualTo(0100600);
            assertThat(GoHost.listFiles(dial(), file.getParent().toString()))
                    .containsExactly(new FileInfo("hello.txt", content.length, 0600, false));
            Path b = file.getParent();
            assertThat(GoHost.listFiles(dial(), dir.resolve("a").toString()))
                    .containsExactly(new FileInfo("b", size(b), GoFileMode.fromPosix(mode(b)), true));
        });
    }

    @Test
    default void aSuccessfulWriteIsAnsweredWithExactlyTheGoAgentsBytes() throws Exception {
        inDirectory("exact-bytes", dir -> {
            Path file = dir.resolve("exact-bytes.txt");
            String json = "{\"path\":\"" + file + "\",\"content\":\"aGkK\",\"mode\":420}";
            try (Connection c = dial()) {
                GoHost.sendMessage(c, MessageType.WRITE_FILE.code(), json.getBytes(UTF_8));

                assertThat(HexFormat.of().formatHex(c.input().readAllBytes())).isEqualTo("11000000027b7d");
            }
            assertThat(agentMachine().read(file)).isEqualTo("hi\n");
        });
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
        inDirectory("listing", dir -> {
            sh("cd \"$1\" && mkdir d && chmod 750 d && printf abc > f && chmod 644 f && ln -s \"$1/d\" l", dir.toString());

            List<FileInfo> listed = GoHost.listFiles(dial(), dir.toString());

            assertThat(listed).containsExactly(
                    new FileInfo("d", size(dir.resolve("d")), GoFileMode.DIR | 0750, true),
                    new FileInfo("f", 3, 0644, false),
                    new FileInfo("l", dir.resolve("d").toString().length(), GoFileMode.SYMLINK | 0777, false));
            assertThat(Long.toOctalString(listed.getFirst().mode())).isEqualTo("20000000750");
            assertThat(client().list(dir.toString())).extracting(RemoteFile::mode).containsExactly(040750, 0100644, 0120777);
        });
    }

    // ---------------------------------------------------------------- the 16 MiB limit

    @Test
    default void sixteenMebibytesGoBothWaysAndOneByteMoreIsRefused() throws Exception {
        inDirectory("limit", dir -> {
            Path file = dir.resolve("sub/16MiB.bin");
            byte[] content = random(LIMIT);

            client().writeFile(file.toString(), content, 0644);

            assertThat(sha256(file)).isEqualTo(sha256(content));
            assertThat(client().readFile(file.toString())).isEqualTo(content);
            assertThat(GoHost.readFile(dial(), file.toString())).isEqualTo(content);
            Path over = dir.resolve("over.bin");
            sh("head -c 16777217 /dev/zero > \"$1\"", over.toString());
            assertThatThrownBy(() -> GoHost.readFile(dial(), over.toString()))
                    .hasMessage("guest file operation: read_file exceeds 16777216 bytes: " + over);
            assertThatThrownBy(() -> client().readFile(over.toString())).isInstanceOf(RemoteFileException.class);
        });
    }

    @Test
    default void aWriteOverTheLimitIsRefusedAndWritesNothing() throws Exception {
        inDirectory("limit-write", dir -> {
            Path file = dir.resolve("over.bin");

            assertThatThrownBy(() -> GoHost.writeFile(this::dial, file.toString(), random(LIMIT + 1), 0644))
                    .hasMessage("guest file operation: write_file exceeds 16777216 bytes: " + file);

            assertThat(entries(dir)).isEmpty();
        });
    }

    // ---------------------------------------------------------------- bad input

    @Test
    default void badPathsAreRefusedWithAClearError() throws Exception {
        inDirectory("bad-paths", dir -> {
            Path file = dir.resolve("file");
            agentMachine().write(file, "x");
            String missing = dir.resolve("missing/x").toString();

            assertGoError(() -> GoHost.readFile(dial(), "relative/x"), "path must be absolute: \"relative/x\"");
            assertGoError(() -> GoHost.writeFile(this::dial, "", new byte[1], 0), "path must not be empty");
            assertGoError(() -> GoHost.readFile(dial(), missing), "open " + missing + ": no such file or directory");
            assertGoError(() -> GoHost.listFiles(dial(), missing), "open " + missing + ": no such file or directory");
            assertGoError(() -> GoHost.readFile(dial(), dir.toString()), "read_file only supports regular files: " + dir);
            assertGoError(() -> GoHost.listFiles(dial(), file.toString()), "open " + file + ": not a directory");
            assertGoError(() -> GoHost.writeFile(this::dial, file + "/x", new byte[1], 0), "mkdir " + file + ": not a directory");
            assertGoError(() -> GoHost.writeFile(this::dial, dir.toString(), new byte[1], 0), "open " + dir + ": is a directory");
            assertThat(agentMachine().read(file)).isEqualTo("x");
            assertThat(entries(dir)).containsExactly("file");
        });
    }

    @Test
    default void aMalformedWriteIsAnsweredAfterItsPayloadAndWritesNothing() throws Exception {
        inDirectory("malformed", dir -> {
            Path file = dir.resolve("never");
            String json = "{\"path\":\"" + file + "\",\"content\":\"" + "A".repeat(300_000) + "%%%%\",\"mode\":420}";
            try (Connection c = dial()) {
                GoHost.sendMessage(c, MessageType.WRITE_FILE.code(), json.getBytes(UTF_8));
                byte[] reply = c.input().readAllBytes();

                assertThat(new String(reply, 5, reply.length - 5, UTF_8))
                        .startsWith("{\"error\":\"invalid request: invalid WriteFileRequest payload: field \\\"content\\\""
                                + " is not valid base64");
            }
            assertThat(entries(dir)).isEmpty();
        });
    }

    // ---------------------------------------------------------------- what a write does to what is there

    @Test
    default void anOverwriteReplacesTheFileWholeWithTheRequestedMode() throws Exception {
        inDirectory("overwrite", dir -> {
            Path file = dir.resolve("f");
            agentMachine().write(file, "old old old");
            sh("chmod 644 \"$1\"", file.toString());

            client().writeFile(file.toString(), "new".getBytes(UTF_8), 0600);

            assertThat(agentMachine().read(file)).isEqualTo("new");
            assertThat(mode(file)).isEqualTo(0100600);
            assertThat(entries(dir)).containsExactly("f");
        });
    }

    @Test
    default void aModeOfZeroWritesAFileOfMode0644AndGoFlagsBecomePosixBits() throws Exception {
        inDirectory("modes", dir -> {
            GoHost.writeFile(this::dial, dir.resolve("zero").toString(), new byte[0], 0);
            GoHost.writeFile(this::dial, dir.resolve("setgid").toString(), null, GoFileMode.SETGID | 0750);

            assertThat(mode(dir.resolve("zero"))).isEqualTo(0100644);
            assertThat(mode(dir.resolve("setgid"))).isEqualTo(0102750);
            assertThat(size(dir.resolve("setgid"))).isZero();
        });
    }

    @Test
    default void aSymbolicLinkAtThePathIsFollowed() throws Exception {
        inDirectory("follow", dir -> {
            agentMachine().write(dir.resolve("target"), "old");
            sh("ln -s target \"$1/link\"", dir.toString());

            client().writeFile(dir.resolve("link").toString(), "new".getBytes(UTF_8));

            assertThat(mode(dir.resolve("link")) & 0170000).as("still a link").isEqualTo(0120000);
            assertThat(agentMachine().read(dir.resolve("target"))).isEqualTo("new");
        });
    }

    @Test
    default void aReadStreamsIntoTheCallersStream() throws Exception {
        inDirectory("stream", dir -> {
            Path file = dir.resolve("f");
            sh("head -c 3145735 /dev/urandom > \"$1\"", file.toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            long n = client().readFile(file.toString(), out);

            assertThat(n).isEqualTo(3 * MIB + 7);
            assertThat(sha256(out.toByteArray())).isEqualTo(sha256(file));
        });
    }

    // ---------------------------------------------------------------- helpers

    private VsockExecClient client() {
        return VsockExecClient.of(agentEndpoint());
    }

    private Connection dial() throws IOException {
        return FrameClient.dial(agentEndpoint());
    }

    /** A test in a directory of its own on the agent's machine, removed afterwards. */
    @FunctionalInterface
    interface InDirectory {
        void run(Path dir) throws Exception;
    }

    private void inDirectory(String name, InDirectory test) throws Exception {
        Path dir = Path.of(sh("mktemp -d \"${TMPDIR:-/tmp}/vsockexec-$1.XXXXXXXX\"", name).strip());
        try {
            test.run(dir);
        } finally {
            sh("rm -rf \"$1\"", dir.toString());
        }
    }

    private String sh(String script, String... args) throws IOException {
        return agentMachine().shell(script, args);
    }

    /** {@code st_mode} of {@code p} itself, not of what a link points to. */
    private int mode(Path p) throws IOException {
        return Integer.parseInt(sh("stat -c %f \"$1\"", p.toString()).strip(), 16);
    }

    private long size(Path p) throws IOException {
        return Long.parseLong(sh("stat -c %s \"$1\"", p.toString()).strip());
    }

    private String sha256(Path p) throws IOException {
        return sh("sha256sum \"$1\"", p.toString()).strip().split(" ")[0];
    }

    /** The names in {@code dir}: a write that failed leaves no temporary file among them. */
    private List<String> entries(Path dir) throws IOException {
        return sh("ls -A \"$1\"", dir.toString()).lines().toList();
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

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
