package io.vsockexec.cli;

import io.vsockexec.client.LocalFileException;
import io.vsockexec.client.RemoteFileException;
import io.vsockexec.client.UnsupportedRequestException;
import io.vsockexec.client.VsockExecClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code vsockexec cp}: copy files and trees into and out of a VM, like {@code docker cp}. */
final class CpCommand {
    static final Opt<String> CONNECT = AgentEndpoint.option("The agent: " + AgentEndpoint.FORMS
            + ", or local (an agent in this process).");
    static final Opt<String> USER = Opt.text("-u, --user", "USER",
            "Who the files copied into the VM belong to: a name, UID or UID:GID (the agent must run as root).");

    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("cp")
            .summary("Copy files and directories into and out of a VM")
            .usage("[OPTIONS] SRC... DST")
            .paragraph("Copy files and directories between this machine and a VM, as docker cp does. A path in the"
                    + " VM is written with a leading colon, :/abs/path. A directory is copied whole, a file of any"
                    + " size, a symbolic link as a link, with modes and modification times. DST: an existing"
                    + " directory receives SRC under its own name, a new path becomes the copy (its parent must"
                    + " exist); SRC ending in /. copies a directory's content. Several SRCs need a directory DST."
                    + " - as SRC reads a tar stream from standard input (extracted into DST, a directory in the"
                    + " VM); - as DST writes one to standard output. A file that fails is removed, never left"
                    + " half-written. Progress is shown on a terminal. Against an agent without streamed copies"
                    + " (the Go reference's) the files are sent one by one when each fits in 16 MiB.")
            .options(List.of(CONNECT, USER))
            .arguments("SRC... DST", 2, Integer.MAX_VALUE)
            .section("Examples",
                    "vsockexec cp --connect vsock://3:5000 ./site :/srv/www",
                    "vsockexec cp --connect vsock://3:5000 :/var/log/app.log .",
                    "vsockexec cp -u www-data ./site/. :/srv/www/",
                    "tar c conf | vsockexec cp - :/etc/app",
                    "vsockexec cp :/var/log - | tar t")
            .section("Exit status",
                    "0    copied",
                    "1    the copy failed: a missing path, a directory where a file is needed,",
                    "     permission denied, a full disk (the agent's reason on stderr)",
                    "255  vsockexec itself failed: cannot connect, protocol error",
                    "2    wrong command line: no path in the VM, both in the VM, several SRCs with -")
            .build(), CpCommand::run);

    private CpCommand() {}

    private static int run(Args args, Console console) throws Exception {
        List<String> words = args.arguments();
        List<String> sources = words.subList(0, words.size() - 1);
        String dest = words.getLast();
        CopyPlan plan = CopyPlan.of(sources, dest, COMMAND.spec().fullName());
        String user = args.get(USER, "");
        try (AgentEndpoint agent = AgentEndpoint.resolve(args.get(CONNECT));
                CopyProgress progress = CopyProgress.on(console.err())) {
            VsockExecClient client = VsockExecClient.of(agent.endpoint());
            try {
                copy(client, plan, user, progress);
            } catch (UnsupportedRequestException e) {
                new CopyFallback(client, console.err()).copy(plan, user, e);
            }
            return ExitCodes.OK;
        } catch (RemoteFileException | LocalFileException e) {
            ExitCodes.print(console.err(), e);
            return ExitCodes.FAILURE;
        }
    }

    /**
     * Several sources go into an existing directory, checked before the first is copied: as cp(1)
     * and docker refuse, rather than the second source replacing the first under the new name.
     */
    private static void intoDirectory(CopyPlan plan) {
        if (plan.sources().size() > 1 && !Files.isDirectory(Path.of(plan.dest()))) {
            throw CliException.failure(ExitCodes.FAILURE, "copy to " + plan.dest() + ": "
                    + (Files.exists(Path.of(plan.dest())) ? "not a directory" : "no such directory")
                    + " (several sources are copied into an existing directory)", null);
        }
    }

    private static void copy(VsockExecClient client, CopyPlan plan, String user, CopyProgress progress) throws IOException {
        if (plan.toVm()) {
            if (plan.stdio()) {
                client.copyTo(new FileInputStream(FileDescriptor.in), plan.remote(plan.dest()), user);
                return;
            }
            String dest = plan.remote(plan.dest()) + (plan.sources().size() > 1 ? "/" : "");
            for (String source : plan.sources()) {
                progress.done(client.copyTo(Path.of(source), dest, user, progress.listener()));
            }
        } else if (plan.stdio()) {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            client.copyFrom(plan.remote(plan.sources().getFirst()), out);
            out.flush();
        } else {
            intoDirectory(plan);
            for (String source : plan.sources()) {
                progress.done(client.copyFrom(plan.remote(source), Path.of(plan.dest()), progress.listener()));
            }
        }
    }
}
