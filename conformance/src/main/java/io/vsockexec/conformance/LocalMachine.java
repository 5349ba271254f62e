package io.vsockexec.conformance;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The suite's own machine: files through {@link Files}, processes through {@link Processes}. */
final class LocalMachine implements AgentMachine {
    static final LocalMachine INSTANCE = new LocalMachine();

    private LocalMachine() {}

    @Override
    public boolean isAlive(long pid) {
        return Processes.isAlive(pid);
    }

    @Override
    public void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    @Override
    public Path newFile(String prefix, String suffix, String content, boolean executable) throws IOException {
        Path file = Files.createTempFile(prefix, suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--")));
        Files.writeString(file, content);
        return file;
    }

    @Override
    public Path newPath(String prefix, String suffix) throws IOException {
        Path file = Files.createTempFile(prefix, suffix);
        Files.delete(file);
        return file;
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public String read(Path path) throws IOException {
        return Files.readString(path);
    }

    @Override
    public void write(Path path, String content) throws IOException {
        Path part = path.resolveSibling(path.getFileName() + ".part");
        Files.writeString(part, content);
        Files.move(part, path, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public String shell(String script, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()),
                r -> Thread.ofVirtual().start(r));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(FrameClient.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("on this machine, " + script + " " + List.of(args) + " did not exit");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + script);
        }
        if (p.exitValue() != 0) {
            throw new IOException("on this machine, " + script + " " + List.of(args) + " exited " + p.exitValue()
                    + ": " + new String(err.join(), StandardCharsets.UTF_8).strip());
        }
        return out;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
