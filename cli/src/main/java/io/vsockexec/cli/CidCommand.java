package io.vsockexec.cli;

import io.vsockexec.nativeio.Vsock;
import io.vsockexec.nativeio.VsockUnavailableException;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code vsockexec cid}: print this machine's vsock context id. */
@CommandLine.Command(
        name = "cid",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Print this machine's vsock context id (CID), the number alone: 2 on a host, "
                + "3 or more inside a guest. Reads /dev/vsock; connects nowhere.",
        footer = {
            "",
            "Examples:",
            "  vsockexec cid          # in a QEMU guest started with guest-cid=3: prints 3",
            "  vsockexec agent --listen vsock://$(vsockexec cid):5000",
            "",
            "Exit status: 0, or 255 when vsock is not available here (no /dev/vsock).",
        })
public final class CidCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long cid;
        try {
            cid = Vsock.localCid();
        } catch (VsockUnavailableException e) {
            throw new CliException(ExitCodes.LOCAL_FAILURE, "cannot read the local CID: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println(cid);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
