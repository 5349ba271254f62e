package io.vsockexec.copy;

import static io.vsockexec.copy.fixture.SampleTree.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.protocol.CopyResponse;
import io.vsockexec.protocol.TarEntry;
import io.vsockexec.protocol.TarReader;
import io.vsockexec.protocol.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree written as a tar stream and extracted elsewhere, as {@code docker cp} places it. */
class CopyRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeArrivesWithItsContentModesTimesAndLinks() throws IOException {
        Path src = tree(tmp.resolve("site"), 300_000);
        Path dest = tmp.resolve("out");

        CopyResponse r = roundTrip(src, src.toString(), dest, false);

        assertThat(manifest(dest)).isEqualTo(manifest(src));
        assertThat(r.entries()).isEqualTo(7);
        assertThat(r.bytes()).isEqualTo(300_000 + 6);
    }

    @Test
    void anExtractionWithTheSmallerBufferABudgetGrantedWritesTheSameTree() throws IOException {
        Path src = tree(tmp.resolve("site"), 300_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TreeArchive.of(src, src.toString(), false, new TarWriter(out), new CopyTally(), () -> false).write();
        Path dest = tmp.resolve("out");

        TarExtraction.at(dest, false, false, null, new CopyTally())
                .extract(new TarReader(new ByteArrayInputStream(out.toByteArray())), 4093);

        assertThat(manifest(dest)).isEqualTo(manifest(src));
        assertThatThrownBy(() -> TarExtraction.at(tmp.resolve("none"), false, false, null, new CopyTally())
                .extract(new TarReader(new ByteArrayInputStream(out.toByteArray())), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufferBytes");
    }

    @Test
    void intoAnExistingDirectoryTheSourceKeepsItsName() throws IOException {
        Path src = tree(tmp.resolve("site"), 300_000);
        Path dest = Files.createDirectory(tmp.resolve("out"));

        roundTrip(src, src.toString(), dest, false);

        assertThat(manifest(dest.resolve("site"))).isEqualTo(manifest(src));
    }

    @Test
    void aPathEndingInSlashDotCopiesTheDirectorysContent() throws IOException {
        Path src = tree(tmp.resolve("site"), 300_000);
        Path dest = Files.createDirectory(tmp.resolve("out"));

        roundTrip(src, src + "/.", dest, false);

        assertThat(dest.resolve("a/b/secret")).exists();
        assertThat(dest.resolve("site")).doesNotExist();
    }

    @Test
    void aRelativeDestinationOfOneNameIsCreatedInTheWorkingDirectory() throws IOException {
        Path src = tree(tmp.resolve("site"), 300_000);
        Path dest = Path.of("copy-round-trip-" + ProcessHandle.current().pid());
        try {
            roundTrip(src, src.toString(), dest, false);

            assertThat(manifest(dest.toAbsolutePath())).isEqualTo(manifest(src));
        } finally {
            deleteTree(dest);
        }
    }

    @Test
    void aFileToANewTrailingSlashDestinationIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");

        assertThatThrownBy(() -> roundTrip(file, file.toString(), tmp.resolve("new"), true))
                .isInstanceOf(CopyFailure.class).hasMessageContaining("no such directory");
    }

    @Test
    void namesThatLeaveTheDestinationAreRefused() throws IOException {
        byte[] tar = archive(TarEntry.file("x/../../evil", 0644, 1, 0));

        assertThatThrownBy(() -> extract(tar, Files.createDirectory(tmp.resolve("out"))))
                .isInstanceOf(CopyFailure.class).hasMessageContaining("..");
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void aLinkInTheArchiveDoesNotLeadALaterEntryOutOfTheDestination() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        byte[] tar = archive(TarEntry.symlink("l", outside.toString(), 0), TarEntry.file("l/evil", 0644, 1, 0));

        assertThatThrownBy(() -> extract(tar, Files.createDirectory(tmp.resolve("out"))))
                .isInstanceOf(CopyFailure.class).hasMessageContaining("outside the destination");
        assertThat(outside.resolve("evil")).doesNotExist();
    }

    @Test
    void aFileCutShortLeavesNothingHalfWritten() throws IOException {
        byte[] tar = archive(TarEntry.file("big", 0644, 100_000, 0));
        byte[] cut = java.util.Arrays.copyOf(tar, 50_000);
        Path out = Files.createDirectory(tmp.resolve("out"));

        assertThatThrownBy(() -> extract(cut, out)).isInstanceOf(EOFException.class);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDirectoryIsNotReplacedByAFile() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out/big"));
        byte[] tar = archive(TarEntry.file("big", 0644, 10, 0));

        assertThatThrownBy(() -> extract(tar, out.getParent())).isInstanceOf(CopyFailure.class)
                .hasMessageContaining("cannot overwrite directory");
    }

    @Test
    void aDirectoryThatTakesNoNewFileIsNamedAsTheCause() throws IOException {
        // /proc takes no new file, whatever the user: the copy is written beside its target first.
        Path proc = Path.of("/proc/version");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(proc), "needs Linux's /proc");
        byte[] tar = archive(TarEntry.file("version", 0644, 10, 0));

        assertThatThrownBy(() -> TarExtraction.at(proc, false, false, null, new CopyTally())
                .extract(new TarReader(new ByteArrayInputStream(tar))))
                .isInstanceOf(CopyFailure.class).hasMessage("create a file in /proc: no such file or directory");
    }

    /** site/{a/b/secret (0600), a/empty/, data (300000 random bytes), link -> a/b/secret}, old times. */

    private static List<String> manifest(Path root) throws IOException {
        return TreeManifest.of(root);
    }

    private static CopyResponse roundTrip(Path src, String text, Path dest, boolean mustBeDir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyTally sent = new CopyTally();
        TreeArchive.of(src, text, false, new TarWriter(out), sent, () -> false).write();
        CopyTally received = new CopyTally();
        TarExtraction.at(dest, mustBeDir, false, null, received).extract(new TarReader(new ByteArrayInputStream(out.toByteArray())));
        assertThat(received.response()).isEqualTo(sent.response());
        return received.response();
    }

    private static byte[] archive(TarEntry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        for (TarEntry e : entries) {
            tar.writeEntry(e);
            if (e.type() == TarEntry.Type.FILE) {
                tar.writeContent(new ByteArrayInputStream(new byte[(int) e.size()]), e.size());
            }
        }
        tar.finish();
        return out.toByteArray();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void extract(byte[] tar, Path dest) throws IOException {
        TarExtraction.at(dest, false, false, null, new CopyTally())
                .extract(new TarReader(new ByteArrayInputStream(tar)));
    }
}
