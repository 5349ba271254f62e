package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar stream of a copy: what the writer writes, the reader reads back, and GNU tar reads and
 * writes the same archives (ustar, pax and GNU forms, long names, large owners).
 */
class TarCodecTest {
    private static final long MTIME = 1_700_000_000L;
    private static final String LONG_DIR = "d".repeat(120) + "/" + "e".repeat(120);

    @TempDir
    Path dir;

    /** An entry and its content, as read back. */
    private record Read(TarEntry entry, byte[] content) {}

    private static byte[] write(List<TarEntry> entries, List<byte[]> contents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        for (int i = 0; i < entries.size(); i++) {
            tar.writeEntry(entries.get(i));
            if (entries.get(i).type() == TarEntry.Type.FILE) {
                tar.writeContent(new ByteArrayInputStream(contents.get(i)), contents.get(i).length);
            }
        }
        tar.finish();
        return out.toByteArray();
    }

    private static List<Read> read(InputStream in) throws IOException {
        TarReader tar = new TarReader(in);
        List<Read> all = new ArrayList<>();
        for (TarEntry e = tar.next(); e != null; e = tar.next()) {
            all.add(new Read(e, tar.content().readAllBytes()));
        }
        return all;
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void everyKindOfEntrySurvivesTheRoundTripReadInPiecesOfAnySize() throws IOException {
        byte[] big = random(200_000);
        List<TarEntry> entries = List.of(
                TarEntry.directory("site", 0750, MTIME),
                TarEntry.file("site/index.html", 0644, big.length, MTIME + 1),
                TarEntry.file("site/empty", 04755, 0, MTIME),
                TarEntry.symlink("site/link", "../elsewhere/" + "x".repeat(150), MTIME),
                new TarEntry("site/hard", TarEntry.Type.HARD_LINK, 0644, 0, MTIME, "site/index.html", 0, 0),
                TarEntry.file(LONG_DIR + "/" + "f".repeat(200), 0600, 3, -5).withOwner(5_000_000, 70_000),
                TarEntry.directory(".", 0755, MTIME));
        List<byte[]> contents = Arrays.asList(null, big, new byte[0], null, null, "abc".getBytes(UTF_8), null);

        byte[] archive = write(entries, contents);
        List<Read> back = read(TestStreams.chunked(archive, 777));

        assertThat(back).extracting(Read::entry).containsExactlyElementsOf(entries);
        assertThat(back.get(1).content()).isEqualTo(big);
        assertThat(back.get(5).content()).isEqualTo("abc".getBytes(UTF_8));
        assertThat(archive.length % 512).isZero();
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        byte[] archive = write(List.of(TarEntry.file("a", 0644, 1000, MTIME), TarEntry.file("b", 0644, 2, MTIME)),
                List.of(random(1000), "hi".getBytes(UTF_8)));
        TarReader tar = new TarReader(new ByteArrayInputStream(archive));

        assertThat(tar.next().name()).isEqualTo("a");
        assertThat(tar.content().read()).isNotNegative();
        assertThat(tar.next().name()).isEqualTo("b");
        assertThat(tar.content().readAllBytes()).isEqualTo("hi".getBytes(UTF_8));
        assertThat(tar.next()).isNull();
        assertThat(tar.next()).isNull();
    }

    @Test
    void gnuTarExtractsWhatTheWriterWrites() throws Exception {
        byte[] data = random(70_000);
        List<TarEntry> entries = List.of(TarEntry.directory("t", 0700, MTIME), TarEntry.directory("t/" + LONG_DIR, 0755, MTIME),
                TarEntry.file("t/" + LONG_DIR + "/" + "g".repeat(180), 0640, data.length, MTIME),
                TarEntry.symlink("t/l", "y".repeat(140), MTIME));
        Path archive = Files.write(dir.resolve("ours.tar"), write(entries, Arrays.asList(null, null, data, null)));
        Path out = Files.createDirectory(dir.resolve("out"));

        run("tar", "-xf", archive.toString(), "-C", out.toString());

        Path file = out.resolve("t/" + LONG_DIR + "/" + "g".repeat(180));
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(3);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(MTIME * 1000);
        assertThat(Files.readSymbolicLink(out.resolve("t/l")).toString()).isEqualTo("y".repeat(140));
    }

    @Test
    void theReaderReadsWhatGnuTarWritesInEachOfItsFormats() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/" + LONG_DIR));
        Files.write(src.resolve("h".repeat(150)), "long".getBytes(UTF_8));
        Files.createSymbolicLink(dir.resolve("src/link"), Path.of("z".repeat(120)));
        // Names over 255 bytes and owners over 2097151 fit neither ustar nor v7; GNU and pax carry them.
        for (String format : List.of("gnu", "pax")) {
            Path archive = dir.resolve(format + ".tar");
            run("tar", "--format=" + format, "--owner=4000000", "--group=0", "-cf", archive.toString(), "-C",
                    dir.toString(), "src");

            List<Read> back = read(new ByteArrayInputStream(Files.readAllBytes(archive)));

            assertThat(back).extracting(r -> r.entry().name()).as(format)
                    .contains("src", "src/" + LONG_DIR, "src/" + LONG_DIR + "/" + "h".repeat(150), "src/link");
            Read file = back.stream().filter(r -> r.entry().name().endsWith("h".repeat(150))).findFirst().orElseThrow();
            assertThat(file.content()).isEqualTo("long".getBytes(UTF_8));
            assertThat(file.entry().uid()).isEqualTo(4_000_000);
            Read link = back.stream().filter(r -> r.entry().name().equals("src/link")).findFirst().orElseThrow();
            assertThat(link.entry().linkName()).isEqualTo("z".repeat(120));
        }
    }

    @Test
    void aDamagedHeaderIsRefused() throws IOException {
        byte[] archive = write(List.of(TarEntry.file("a", 0644, 0, MTIME)), List.of(new byte[0]));
        archive[10] ^= 1;

        assertThatThrownBy(() -> read(new ByteArrayInputStream(archive))).isInstanceOf(TarFormatException.class)
                .hasMessageContaining("bad checksum");
    }

    @Test
    void anArchiveCutShortIsNotTakenForAComplete() throws IOException {
        byte[] archive = write(List.of(TarEntry.file("a", 0644, 600, MTIME)), List.of(random(600)));

        for (int cut : new int[] {100, 512 + 300, archive.length - 1024}) {
            assertThatThrownBy(() -> read(new ByteArrayInputStream(Arrays.copyOf(archive, cut))))
                    .as("cut at %d", cut).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void sparseFilesAndOversizedExtendedHeadersAreRefused() throws IOException {
        byte[] archive = write(List.of(TarEntry.file("a", 0644, 0, MTIME)), List.of(new byte[0]));
        archive[156] = 'S';
        fixChecksum(archive);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(archive))).isInstanceOf(TarFormatException.class)
                .hasMessage("a: GNU sparse files are not supported in a copy");

        byte[] longName = write(List.of(TarEntry.file("a", 0644, 0, MTIME)), List.of(new byte[0]));
        longName[156] = 'L';
        byte[] size = String.format("%011o", TarReader.MAX_EXTENDED + 1).getBytes(UTF_8);
        System.arraycopy(size, 0, longName, 124, 11);
        fixChecksum(longName);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(longName))).isInstanceOf(TarFormatException.class)
                .hasMessageContaining("exceeds the limit of 65536");
    }

    @Test
    void theWriterRefusesContentThatEndsEarlyOrIsOwed() throws IOException {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream());
        tar.writeEntry(TarEntry.file("a", 0644, 10, MTIME));

        assertThatThrownBy(() -> tar.writeEntry(TarEntry.file("b", 0644, 0, MTIME))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tar.writeContent(new ByteArrayInputStream(new byte[4]), 10))
                .isInstanceOf(EOFException.class).hasMessage("content ended after 4 of its 10 bytes");
    }

    private static void fixChecksum(byte[] header) {
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += header[i] & 0xFF;
        }
        byte[] digits = String.format("%06o\0 ", sum).getBytes(UTF_8);
        System.arraycopy(digits, 0, header, 148, 8);
    }

    private void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + output).isZero();
    }
}
