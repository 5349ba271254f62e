package io.vsockexec.conformance;

import io.vsockexec.client.Command;
import io.vsockexec.client.ExecResult;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine the suite reaches only through the agent under test, such as a VM's guest: every
 * look at its processes or files is a small shell command run there through the agent. A failing
 * command is an {@link IOException} naming it.
 */
final class RemoteMachine implements AgentMachine {
    private final VsockExecClient client;

    RemoteMachine(Endpoint exec) {
        this.client = VsockExecClient.of(exec);
    }

    @Override
    public boolean isAlive(long pid) throws IOException {
        return run("s=$(sed -n 's/.*) \\(.\\).*/\\1/p' /proc/\"$1\"/stat 2>/dev/null); [ -n \"$s\" ] && [ \"$s\" != Z ]",
                String.valueOf(pid)).exitCode() == 0;
    }

    @Override
    public void terminate(long pid) throws IOException {
        run("kill -TERM \"$1\" 2>/dev/null; true", String.valueOf(pid));
    }

    @Override
    public Path newFile(String prefix, String suffix, String content, boolean executable) throws IOException {
        return Path.of(check("f=$(mktemp --suffix=\"$2\" \"${TMPDIR:-/tmp}/$1.XXXXXXXX\") && printf %s \"$3\" > \"$f\""
                + " && chmod \"$4\" \"$f\" && echo \"$f\"", prefix, suffix, content, executable ? "755" : "644").strip());
    }

    @Override
    public Path newPath(String prefix, String suffix) throws IOException {
        return Path.of(check("mktemp -u --suffix=\"$2\" \"${TMPDIR:-/tmp}/$1.XXXXXXXX\"", prefix, suffix).strip());
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return run("[ -e \"$1\" ]", path.toString()).exitCode() == 0;
    }

    @Override
    public String read(Path path) throws IOException {
        return check("cat \"$1\"", path.toString());
    }

    @Override
    public void write(Path path, String content) throws IOException {
        check("printf %s \"$2\" > \"$1.part\" && mv \"$1.part\" \"$1\"", path.toString(), content);
    }

    @Override
    public void delete(Path path) throws IOException {
        check("rm -f \"$1\"", path.toString());
    }

    @Override
    public String shell(String script, String... args) throws IOException {
        return check(script, args);
    }

    /** Runs {@code script} with {@code args} as $1...; its stdout, or an exception if it failed. */
    private String check(String script, String... args) throws IOException {
        ExecResult r = run(script, args);
        if (r.exitCode() != 0) {
            throw new IOException("on the agent's machine, " + script + " " + List.of(args) + " exited "
                    + r.exitCode() + ": " + r.stderrText().strip());
        }
        return r.stdoutText();
    }

    private ExecResult run(String script, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("-c", script, "sh"));
        argv.addAll(List.of(args));
        return client.exec(Command.argv("sh", argv.toArray(String[]::new)).withTimeout(FrameClient.PATIENCE));
    }
}
