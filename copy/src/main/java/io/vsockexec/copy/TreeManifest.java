package io.vsockexec.copy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a copy must keep of a tree, one line per entry, for comparing a copy with its source
 * (the tests, the conformance suite and the benchmark do, as {@code diff -r} would): the name
 * relative to the root, then for a link its target, for anything else its type, permission bits
 * and modification time in seconds, and for a regular file its content's SHA-256. Reads files
 * through one buffer, whatever their size.
 */
public final class TreeManifest {
    private static final int BUFFER = 1 << 16;

    private TreeManifest() {}

    /** The manifest of the tree at {@code root} (which may be a single file or link), sorted by name. */
    public static List<String> of(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted().toList()) {
                lines.add(line(root, p));
            }
        }
        return lines;
    }

    private static String line(Path root, Path p) throws IOException {
        String name = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
            return name + " -> " + Files.readSymbolicLink(p);
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        long time = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
        return name + " " + Integer.toOctalString(mode) + " " + time + (Files.isRegularFile(p) ? " " + digest(p) : "");
    }

    private static String digest(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
