package io.vsockexec.cli;

import io.vsockexec.nativeio.Vsock;
import io.vsockexec.nativeio.VsockUnavailableException;
import java.io.IOException;
import java.util.List;

/** {@code vsockexec cid}: print this machine's vsock context id. */
final class CidCommand {
    static final Subcommand COMMAND = new Subcommand(CommandSpec.command("cid")
            .summary("Print this machine's vsock context id")
            .paragraph("Print this machine's vsock context id (CID), the number alone: 2 on a host, 3 or more"
                    + " inside a guest. Reads /dev/vsock; connects nowhere.")
            .options(List.of())
            .section("Examples",
                    "vsockexec cid          # in a QEMU guest started with guest-cid=3: prints 3",
                    "vsockexec agent --listen vsock://$(vsockexec cid):5000")
            .section("Exit status", "0, or 255 when vsock is not available here (no /dev/vsock).")
            .build(), CidCommand::run);

    private CidCommand() {}

    private static int run(Args args, Console console) throws IOException {
        long cid;
        try {
            cid = Vsock.localCid();
        } catch (VsockUnavailableException e) {
            throw CliException.failure(ExitCodes.LOCAL_FAILURE, "cannot read the local CID: " + e.getMessage(), e);
        }
        console.out().println(cid);
        console.out().flush();
        return ExitCodes.OK;
    }
}
