package io.vsockexec.cli;

import io.vsockexec.client.RemoteFile;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.UnsupportedRequestException;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.copy.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code vsockexec cp} against an agent without streamed copies (the Go reference's, an older
 * vsockexec): the files go one by one through WriteFile, ReadFile and ListFiles, the Go
 * reference's requests, when every file fits in one (16 MiB). Everything is checked before the
 * first file is written, so a copy that cannot be done this way says so and writes nothing.
 * Modification times, empty directories (into the VM), links and tar streams are beyond it.
 */
final class CopyFallback {
    /** What WriteFile and ReadFile carry at most, as the Go reference's agent reads a file. */
    static final long MAX_FILE = 16L * 1024 * 1024;

    private final VsockExecClient client;
    private final PrintStream err;

    CopyFallback(VsockExecClient client, PrintStream err) {
        this.client = client;
        this.err = err;
    }

    /** A file of the copy: where it is read and where it is written. */
    private record Item(String from, String to, long size, int permissions) {}

    /** Copies as {@code plan} says, file by file; {@code why} is the agent's refusal of the streamed copy. */
    void copy(CopyPlan plan, String user, UnsupportedRequestException why) throws IOException, CliException {
        if (plan.stdio()) {
            throw cannot("a tar stream (-)", why);
        }
        if (!user.isEmpty()) {
            throw cannot("a copy as another user (-u)", why);
        }
        err.println("vsockexec: warning: " + why.getMessage() + "; copying file by file (modification times are"
                + " not kept)");
        err.flush();
        if (plan.toVm()) {
            String dest = plan.remote(plan.dest());
            for (String source : plan.sources()) {
                for (Item item : toVm(Path.of(source), dest, why)) {
                    try (InputStream in = Files.newInputStream(Path.of(item.from()))) {
                        client.writeFile(item.to(), in, item.size(), item.permissions());
                    }
                }
            }
        } else {
            for (String source : plan.sources()) {
                for (Item item : fromVm(plan.remote(source), Path.of(plan.dest()), why)) {
                    fetch(item);
                }
            }
        }
    }

    /** The files of {@code source} and where they go in the VM, all checked. */
    private List<Item> toVm(Path source, String dest, UnsupportedRequestException why) throws IOException, CliException {
        boolean content = source.toString().endsWith("/.");
        String base = isRemoteDirectory(dest) && !content ? dest + "/" + source.toAbsolutePath().normalize().getFileName() : dest;
        List<Item> items = new ArrayList<>();
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                String rel = source.relativize(p).toString();
                String to = rel.isEmpty() ? base : base + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    throw cannot("a symbolic link (" + p + ")", why);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    items.add(checked(new Item(p.toString(), to, Files.size(p),
                            (Integer) Files.getAttribute(p, "unix:mode") & 07777), why));
                }
            }
        }
        return items;
    }

    /** The files of {@code source} in the VM and where they go here, all checked. */
    private List<Item> fromVm(String source, Path dest, UnsupportedRequestException why) throws IOException, CliException {
        String name = Path.of(source).getFileName() == null ? "root" : Path.of(source).getFileName().toString();
        Path base = Files.isDirectory(dest) && !source.endsWith("/.") ? dest.resolve(name) : dest;
        List<Item> items = new ArrayList<>();
        if (isRemoteDirectory(source)) {
            collect(source, base, items, why);
        } else {
            items.add(new Item(source, base.toString(), -1, 0644));
        }
        return items;
    }

    private void collect(String dir, Path to, List<Item> items, UnsupportedRequestException why) throws IOException, CliException {
        Files.createDirectories(to);
        for (RemoteFile f : client.list(dir)) {
            String from = dir + "/" + f.name();
            if (f.isDirectory()) {
                collect(from, to.resolve(f.name()), items, why);
            } else if (f.isSymbolicLink()) {
                throw cannot("a symbolic link (" + from + ")", why);
            } else if (f.isRegularFile()) {
                items.add(checked(new Item(from, to.resolve(f.name()).toString(), f.size(), f.permissions()), why));
            }
        }
    }

    /** Reads one file of the VM into a temporary file renamed into place: nothing half-written. */
    private void fetch(Item item) throws IOException {
        Path target = Path.of(item.to());
        Path temp = TempFiles.beside(target);
        try {
            try (OutputStream out = TempFiles.write(temp)) {
                client.readFile(item.from(), out);
            }
            if (item.size() >= 0) {
                Files.setAttribute(temp, "unix:mode", item.permissions());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private boolean isRemoteDirectory(String path) throws IOException {
        try {
            client.list(path);
            return true;
        } catch (RemoteFileException e) {
            return false;
        }
    }

    private static Item checked(Item item, UnsupportedRequestException why) throws CliException {
        if (item.size() > MAX_FILE) {
            throw cannot("a file over 16 MiB (" + item.from() + ", " + CopyProgress.size(item.size()) + ")", why);
        }
        return item;
    }

    private static CliException cannot(String what, UnsupportedRequestException why) {
        return CliException.failure(ExitCodes.FAILURE, why.getMessage() + ", and copying file by file cannot take "
                + what + ": nothing was copied", why);
    }
}
