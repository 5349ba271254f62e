package io.vsockexec.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

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
}
