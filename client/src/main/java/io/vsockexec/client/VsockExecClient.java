package io.vsockexec.client;

import io.vsockexec.protocol.ExecResponse;
import io.vsockexec.protocol.Frame;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Runs commands in a VM through its vsockexec (or Go reference) agent: the host SDK.
 *
 * <pre>{@code
 * VsockExecClient vm = VsockExecClient.connect("hybrid:///srv/vm1/v.sock:5000");
 * ExecResult r = vm.exec(Command.shell("uname -a"));
 * System.out.print(r.stdoutText());
 * }</pre>
 *
 * <p><b>Cheap and thread-safe.</b> A client is an endpoint and options, nothing more: it holds no
 * connection. Each call opens a connection of its own, as the protocol has one command per
 * connection, and closes it before returning; any number of threads may use one client at once.
 * The calls block, which is what virtual threads are for.
 *
 * <p><b>Modes</b>, as in the wire protocol:
 * <table>
 *   <caption>calls and modes</caption>
 *   <tr><th>call</th><th>mode</th><th>output</th><th>input</th></tr>
 *   <tr><td>{@link #exec(Command)}</td><td>Exec</td><td>collected in the {@link ExecResult}</td><td>none</td></tr>
 *   <tr><td>{@link #stream}</td><td>ExecStream</td><td>live, to your streams</td><td>none</td></tr>
 *   <tr><td>{@link #pipe}, {@link #startPipe}</td><td>ExecPipe</td><td>live, to your streams</td><td>from your stream; signals</td></tr>
 *   <tr><td>{@link #openTty}</td><td>ExecTTY</td><td>a terminal's, one stream</td><td>keystrokes; resize; signals</td></tr>
 *   <tr><td>{@link #run}</td><td colspan="3">chosen as the Go host chooses: input given → ExecPipe; else an output stream
 *       given → ExecStream; else Exec</td></tr>
 * </table>
 *
 * <p><b>Time limits and cancellation.</b> A command's {@link Command#timeout()} covers the whole
 * call, connecting included; when it passes, or when the calling thread is interrupted, the
 * connection is closed, which makes the agent stop the command's process group, and the call throws
 * {@link ExecTimeoutException} or {@link java.io.InterruptedIOException} (with the thread's interrupt
 * status kept). No thread the SDK started is left blocked on the connection.
 *
 * <p><b>Files and ports</b>, the Go reference's other requests: {@link #writeFile}, {@link #readFile}
 * and {@link #list} move a file of up to 16 MiB, or list a directory, in one call each;
 * {@link #forward} opens a TCP connection to a port inside the VM. Their time limit is
 * {@link ClientOptions#callTimeout()} (for a forward, until it is open), and they are cancelled as
 * commands are, by an interrupt.
 *
 * <p><b>Errors</b> are {@link VsockExecException}s naming the endpoint: {@link ConnectFailedException}
 * (with {@link HandshakeRefusedException}), {@link ExecTimeoutException},
 * {@link ConnectionLostException}, {@link ExecProtocolException}, {@link RemoteExecException};
 * for files and ports also {@link RemoteFileException}, {@link LocalFileException}, {@link ForwardRefusedException} and
 * {@link UnsupportedRequestException} (an agent that does not know the request).
 * A non-zero exit code is not an error: it is in the result.
 */
public final class VsockExecClient {
    private final Endpoint endpoint;
    private final ClientOptions options;

    private VsockExecClient(Endpoint endpoint, ClientOptions options) {
        this.endpoint = Connector.checkDialable(Objects.requireNonNull(endpoint, "endpoint"));
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A client for the agent at {@code endpoint}: {@code vsock://CID:PORT}, {@code hybrid:///PATH:PORT},
     * {@code unix:///PATH} or {@code tcp://HOST:PORT}. Nothing is dialed until the first command.
     *
     * @throws io.vsockexec.transport.InvalidEndpointException if the text does not parse
     * @throws IllegalArgumentException for an endpoint that can only be listened on ({@code vsock://any:5000})
     */
    public static VsockExecClient connect(String endpoint) {
        return of(Endpoint.parse(Objects.requireNonNull(endpoint, "endpoint")));
    }

    /** A client for the agent at {@code endpoint}, with the default options. */
    public static VsockExecClient of(Endpoint endpoint) {
        return of(endpoint, ClientOptions.defaults());
    }

    /** A client for the agent at {@code endpoint}, with {@code options}. */
    public static VsockExecClient of(Endpoint endpoint, ClientOptions options) {
        return new VsockExecClient(endpoint, options);
    }

    /** The agent's endpoint. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The options. */
    public ClientOptions options() {
        return options;
    }

    /** A client for the same endpoint with other options. */
    public VsockExecClient withOptions(ClientOptions newOptions) {
        return new VsockExecClient(endpoint, newOptions);
    }

    /**
     * Runs {@code command} and returns its exit code and all its output (Exec mode). The output is
     * bounded by the frame limit ({@link ClientOptions#maxFrame()}); for more, use {@link #stream}.
     *
     * @throws RemoteExecException if the agent could not run the command, or truncated its output
     */
    public ExecResult exec(Command command) throws IOException {
        try (ExecCall call = ExecCall.start(endpoint, options, command, new Message.Exec(command.toRequest()), "Exec",
                true)) {
            Frame frame = call.next();
            if (frame.type() != MessageType.EXEC_RESULT) {
                throw call.unexpected(frame);
            }
            ExecResponse response = ((Message.ExecResult) call.decode(frame)).response();
            call.finish();
            Relay.checkError(call, response);
            return new ExecResult(response.exitCode(), response.stdout().toByteArray(), response.stderr().toByteArray(),
                    call.elapsed());
        }
    }

    /** Runs a shell command line and returns its exit code and output; the same as {@code exec(Command.shell(commandLine))}. */
    public ExecResult exec(String commandLine) throws IOException {
        return exec(Command.shell(commandLine));
    }

    /**
     * Runs {@code command} with its output written to {@code stdout} and {@code stderr} as it is
     * produced (ExecStream mode); each chunk is written and flushed as it arrives. Returns when the
     * command has exited and all its output has been written.
     *
     * @param stdout where standard output goes; null to discard it
     * @param stderr where standard error goes; null to discard it
     */
    public ExecStatus stream(Command command, OutputStream stdout, OutputStream stderr) throws IOException {
        try (ExecCall call = ExecCall.start(endpoint, options, command,
                new Message.ExecStream(command.toRequest()), "ExecStream", true)) {
            int code = Relay.run(call, orDiscard(stdout), orDiscard(stderr));
            return new ExecStatus(code, call.elapsed());
        }
    }

    /**
     * Runs {@code command} with {@code stdin} as its input and its output written live (ExecPipe
     * mode). The input is read on a virtual thread and sent as it is read; its end closes the
     * command's input. Returns when the command has exited and all its output has been written,
     * even if the input is still open (a read of {@code System.in} cannot be interrupted: the
     * reading thread notices the end at its next chunk and drops it).
     *
     * @param stdin the command's input; null for none (end of input at once)
     * @param stdout where standard output goes; null to discard it
     * @param stderr where standard error goes; null to discard it
     * @throws VsockExecException also if reading {@code stdin} fails (the command is then stopped,
     *     rather than given a truncated input as if it were complete)
     */
    public ExecStatus pipe(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException {
        try (ExecCall call = ExecCall.start(endpoint, options, command,
                new Message.ExecPipe(command.toRequest()), "ExecPipe", false)) {
            StdinPump.start(call, stdin == null ? InputStream.nullInputStream() : stdin);
            int code = Relay.run(call, orDiscard(stdout), orDiscard(stderr));
            return new ExecStatus(code, call.elapsed());
        }
    }

    /**
     * Starts {@code command} in pipe mode and returns a handle to write its input, send signals,
     * wait for it or cancel it. Output is written to {@code stdout} and {@code stderr} from a
     * virtual thread as it arrives.
     *
     * @param stdin the command's input, pumped on a virtual thread; null to write it yourself
     *     through {@link PipeExecution#stdin()}
     * @param stdout where standard output goes; null to discard it
     * @param stderr where standard error goes; null to discard it
     */
    public PipeExecution startPipe(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException {
        ExecCall call = ExecCall.start(endpoint, options, command, new Message.ExecPipe(command.toRequest()), "ExecPipe",
                false);
        return PipeExecution.start(call, stdin, orDiscard(stdout), orDiscard(stderr));
    }

    /**
     * Starts {@code command} on a remote pseudo-terminal of {@code rows} by {@code cols} and
     * returns the session (ExecTTY mode). 0 rows or columns leaves the agent's default size.
     *
     * @throws IllegalArgumentException if {@code rows} or {@code cols} is outside 0 to 65535
     */
    public TtySession openTty(Command command, int rows, int cols) throws IOException {
        Message request = new Message.ExecTty(command.toTtyRequest(rows, cols));
        return TtySession.start(ExecCall.start(endpoint, options, command, request, "ExecTTY", false));
    }

    /**
     * Runs {@code command} in the mode the Go reference host would choose for these streams: with
     * {@code stdin}, pipe mode; else with {@code stdout} or {@code stderr}, stream mode; else Exec
     * mode. Output with no stream is collected into the result, up to the frame limit (more fails
     * the call rather than being dropped); output that went to a stream is not in the result.
     */
    public ExecResult run(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException {
        if (stdin == null && stdout == null && stderr == null) {
            return exec(command);
        }
        BoundedOutput collectedOut = stdout == null ? new BoundedOutput(options.maxFrame(), "output") : null;
        BoundedOutput collectedErr = stderr == null ? new BoundedOutput(options.maxFrame(), "error") : null;
        OutputStream out = stdout == null ? collectedOut : stdout;
        OutputStream err = stderr == null ? collectedErr : stderr;
        ExecStatus status = stdin != null ? pipe(command, stdin, out, err) : stream(command, out, err);
        return new ExecResult(status.exitCode(), collectedOut == null ? null : collectedOut.toByteArray(),
                collectedErr == null ? null : collectedErr.toByteArray(), status.duration());
    }

    /**
     * Writes {@code content} to the file {@code path} in the VM with mode 0644 (WriteFile); see
     * {@link #writeFile(String, InputStream, long, int)}.
     */
    public void writeFile(String path, byte[] content) throws IOException {
        writeFile(path, content, 0644);
    }

    /** Writes {@code content} to the file {@code path} in the VM with {@code permissions}; see {@link #writeFile(String, InputStream, long, int)}. */
    public void writeFile(String path, byte[] content, int permissions) throws IOException {
        writeFile(path, new ByteArrayInputStream(content), content.length, permissions);
    }

    /**
     * Writes {@code length} bytes of {@code content} to the file {@code path} in the VM (WriteFile),
     * streamed as they are read. The agent creates missing parent directories (mode 0755) and
     * replaces the file whole: a write that fails leaves it as it was. A symbolic link at
     * {@code path} is followed.
     *
     * @param path an absolute path in the VM
     * @param length the number of bytes, at most 16 MiB (16777216); larger files are for a streamed copy
     * @param permissions the file's POSIX permission bits (0 to 07777, setuid, setgid and sticky
     *     included); 0 means 0644, as in the Go reference
     * @throws IllegalArgumentException for a relative path, a length over 16 MiB, bad permissions
     * @throws RemoteFileException if the agent could not write the file, with its reason
     * @throws UnsupportedRequestException if the agent does not know WriteFile
     * @throws VsockExecException also if reading {@code content} fails or it ends early (nothing is written then)
     */
    public void writeFile(String path, InputStream content, long length, int permissions) throws IOException {
        FileCalls.write(files(), path, content, length, permissions);
    }

    /**
     * Reads the regular file {@code path} in the VM, of at most 16 MiB (ReadFile).
     *
     * @throws RemoteFileException if the agent could not read it: missing, not a regular file, too large
     * @throws UnsupportedRequestException if the agent does not know ReadFile
     */
    public byte[] readFile(String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readFile(path, out);
        return out.toByteArray();
    }

    /**
     * Reads the regular file {@code path} in the VM, of at most 16 MiB, into {@code out} as it
     * arrives (ReadFile); returns the number of bytes. Content written to {@code out} before a
     * failure stays written.
     *
     * @throws RemoteFileException if the agent could not read it: missing, not a regular file, too large
     * @throws UnsupportedRequestException if the agent does not know ReadFile
     */
    public long readFile(String path, OutputStream out) throws IOException {
        return FileCalls.read(files(), path, out);
    }

    /**
     * The entries of the directory {@code path} in the VM, sorted by name (ListFiles); a symbolic
     * link is listed as itself.
     *
     * @throws RemoteFileException if the agent could not list it: missing, not a directory
     * @throws UnsupportedRequestException if the agent does not know ListFiles
     */
    public List<RemoteFile> list(String path) throws IOException {
        return FileCalls.list(files(), path);
    }

    /** Copies {@code source} into the VM as the agent's user; see {@link #copyTo(Path, String, String, LongConsumer)}. */
    public CopyStats copyTo(Path source, String dest) throws IOException {
        return copyTo(source, dest, "", null);
    }

    /**
     * Copies the file or directory {@code source} into the VM at {@code dest} as {@code docker cp}
     * does (vsockexec's CopyIn): into {@code dest} under its own name if that is an existing
     * directory, else as {@code dest}; a source path ending in {@code /.} copies a directory's
     * content. Directories are copied whole, files of any size, symbolic links as links, modes and
     * modification times kept, streamed in bounded chunks. A file that fails in the VM is removed,
     * not left half-written. The call's time limit is {@link ClientOptions#callTimeout()}.
     *
     * @param dest an absolute path in the VM; a trailing {@code /} says it must be a directory
     * @param user who the copied files belong to, as {@link Command#user()} names a user;
     *     empty for the agent's own
     * @param progress told the bytes sent so far as they go; null for none
     * @throws RemoteFileException if the agent could not place or write the copy, with its reason
     * @throws UnsupportedRequestException if the agent does not know CopyIn (fall back to {@link #writeFile})
     * @throws LocalFileException if {@code source} does not exist (found before connecting) or cannot be read
     */
    public CopyStats copyTo(Path source, String dest, String user, LongConsumer progress) throws IOException {
        return CopyCalls.in(files(), CopyCalls.tree(source), dest, false, Objects.requireNonNull(user, "user"), progress);
    }

    /**
     * Extracts the tar stream {@code tar} into the existing directory {@code dir} in the VM, as
     * {@code docker cp - CONTAINER:DIR} does; see {@link #copyTo(Path, String, String, LongConsumer)}.
     */
    public CopyStats copyTo(InputStream tar, String dir, String user) throws IOException {
        Objects.requireNonNull(tar, "tar");
        return CopyCalls.in(files(), CopyCalls.stream(tar), dir, true, Objects.requireNonNull(user, "user"), null);
    }

    /** Copies {@code source} out of the VM; see {@link #copyFrom(String, Path, LongConsumer)}. */
    public CopyStats copyFrom(String source, Path dest) throws IOException {
        return copyFrom(source, dest, null);
    }

    /**
     * Copies the file or directory {@code source} out of the VM to {@code dest} as {@code docker cp}
     * does (vsockexec's CopyOut), the counterpart of {@link #copyTo(Path, String, String, LongConsumer)}:
     * into {@code dest} if that is an existing directory, else as {@code dest}; a file that fails
     * is removed, not left half-written. A symbolic link at {@code source} is copied as a link
     * unless {@code source} ends in {@code /}.
     *
     * @param source an absolute path in the VM; ending in {@code /.}, a directory's content
     * @param progress told the bytes received so far as they come; null for none
     * @throws RemoteFileException if the agent could not read the source, with its reason
     * @throws UnsupportedRequestException if the agent does not know CopyOut (fall back to {@link #readFile})
     * @throws LocalFileException if {@code dest} cannot take the copy: its parent missing (found before
     *     connecting), a file where a directory is needed, a full disk
     */
    public CopyStats copyFrom(String source, Path dest, LongConsumer progress) throws IOException {
        return CopyCalls.out(files(), source, CopyCalls.extractAt(Objects.requireNonNull(dest, "dest")), progress);
    }

    /** Copies {@code source} out of the VM as a tar stream to {@code tar}, as {@code docker cp CONTAINER:SRC -} does. */
    public CopyStats copyFrom(String source, OutputStream tar) throws IOException {
        return CopyCalls.out(files(), source, CopyCalls.stream(Objects.requireNonNull(tar, "tar")), null);
    }

    /** Opens a TCP connection to {@code port} on the VM's loopback address, 127.0.0.1; see {@link #forward(String, int)}. */
    public ForwardedConnection forward(int port) throws IOException {
        return forward(null, port);
    }

    /**
     * Opens a TCP connection to {@code host:port} as seen from inside the VM, through the agent
     * (PortForward), as {@code kubectl port-forward} does for one connection. The call's time limit,
     * {@link ClientOptions#callTimeout()}, covers opening it; the open connection has none.
     *
     * @param host a host name or address the VM resolves; null or empty for 127.0.0.1
     * @param port 1 to 65535
     * @throws IllegalArgumentException for a port outside 1 to 65535
     * @throws ForwardRefusedException if the agent could not connect, with its reason
     * @throws UnsupportedRequestException if the agent does not know PortForward
     */
    public ForwardedConnection forward(String host, int port) throws IOException {
        return ForwardedConnection.open(endpoint, options, host, port);
    }

    @Override
    public String toString() {
        return "VsockExecClient[" + endpoint + "]";
    }

    private FileCalls.Target files() {
        return new FileCalls.Target(endpoint, options);
    }

    private static OutputStream orDiscard(OutputStream stream) {
        return stream == null ? OutputStream.nullOutputStream() : stream;
    }
}
