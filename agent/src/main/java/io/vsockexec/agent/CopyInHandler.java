package io.vsockexec.agent;

import io.vsockexec.copy.CopyFailure;
import io.vsockexec.copy.CopyTally;
import io.vsockexec.copy.FileErrors;
import io.vsockexec.copy.TarExtraction;
import io.vsockexec.nativeio.UserInfo;
import io.vsockexec.nativeio.Users;
import io.vsockexec.protocol.CopyInRequest;
import io.vsockexec.protocol.CopyPayloads;
import io.vsockexec.protocol.CorruptFrameException;
import io.vsockexec.protocol.DataFrameInput;
import io.vsockexec.protocol.FrameWriter;
import io.vsockexec.protocol.Message;
import io.vsockexec.protocol.MessageType;
import io.vsockexec.protocol.Messages;
import io.vsockexec.protocol.TarReader;
import java.io.IOException;

/**
 * {@code CopyIn}, vsockexec's extension: the destination and the user are checked, then the agent
 * answers {@code Ready} and extracts the tar stream the host sends in {@code CopyData} frames as it
 * arrives ({@link TarExtraction}), and answers one {@code CopyResult}. A refusal is a
 * {@code CopyResult} with the error instead of {@code Ready}. A failure part way (a full disk, a
 * destination that does not fit the archive) is answered at once; the rest of the host's stream is
 * then read and dropped, so that the host, which writes before it reads, is not left blocked.
 * Memory: the extraction's buffer, reserved from the agent's budget before {@code Ready}, and one
 * frame's header, whatever the size of the copy.
 */
final class CopyInHandler extends CopyHandler {
    static final CopyInHandler INSTANCE = new CopyInHandler();

    private CopyInHandler() {
        super(new Kind(MessageType.COPY_IN, "CopyIn", "copy-in"));
    }

    @Override
    public Exchange open(RequestPayload payload, HostConnection host, SessionContext context)
            throws CorruptFrameException {
        return new CopyIn(CopyPayloads.decodeCopyInRequest(payload.bytes()), host, context);
    }

    /** One copy into the guest. */
    private static final class CopyIn implements Exchange {
        private final CopyInRequest request;
        private final HostConnection host;
        private final SessionContext context;
        private final CopyTally tally = new CopyTally();

        CopyIn(CopyInRequest request, HostConnection host, SessionContext context) {
            this.request = request;
            this.host = host;
            this.context = context;
        }

        @Override
        public Outcome run() throws IOException {
            FrameWriter writer = host.writer();
            TarExtraction extraction;
            try {
                extraction = TarExtraction.at(GuestPath.of(request.path()), request.path().endsWith("/"), request.into(),
                        owner(), tally);
            } catch (GuestPath.InvalidPathError e) {
                return CopyReply.fail(writer, e.getMessage());
            } catch (CopyFailure e) {
                return CopyReply.fail(writer, e.getMessage());
            }
            int bufferBytes = bufferSize(context.memory(), TarExtraction.BUFFER);
            MemoryBudget.Account buffer = reserveBuffer(context.memory(), bufferBytes, host.connection().deadline());
            try {
                writer.write(Messages.encode(new Message.Ready()));
                return extract(extraction, bufferBytes, writer);
            } finally {
                buffer.close();
            }
        }

        /** Extracts the host's stream with a copy buffer of the {@code bufferBytes} reserved for it, and answers how it went. */
        private Outcome extract(TarExtraction extraction, int bufferBytes, FrameWriter writer) throws IOException {
            DataFrameInput data = new DataFrameInput(host.reader(), MessageType.COPY_DATA);
            String error = "";
            try {
                extraction.extract(new TarReader(data), bufferBytes);
                data.drain();
                if (!data.isComplete()) {
                    error = "copy to " + request.path() + ": the host ended the stream with " + data.interruption().type();
                }
            } catch (CopyFailure e) {
                error = e.getMessage();
            } catch (IOException e) {
                error = "copy to " + request.path() + ": " + FileErrors.reason(e);
            }
            Outcome outcome = CopyReply.send(writer, tally.response(error));
            if (!error.isEmpty()) {
                dropRest(data);
            }
            return outcome;
        }

        /** The user the files go to: null for the agent's own. */
        private TarExtraction.Owner owner() throws CopyFailure {
            try {
                UserInfo user = UserSwitch.resolve(request.user(), "write", Users.effectiveUid(), Users.effectiveGid());
                return user == null || user.uid() == Users.effectiveUid() && user.gid() == Users.effectiveGid() ? null
                        : new TarExtraction.Owner(user.uid(), user.gid());
            } catch (RequestException | StartFailure e) {
                throw new CopyFailure(e.getMessage());
            }
        }

        /** Reads and drops what the host still sends, until its stream ends or the connection does. */
        private static void dropRest(DataFrameInput data) {
            try {
                data.drain();
            } catch (IOException e) {
                // The host has gone or sent garbage: the reply is out, nothing more to do.
            }
        }

        @Override
        public void cancel(String reason) {
            try {
                host.connection().shutdownInput();
            } catch (IOException e) {
                // Already shut: the extraction ends with the stream.
            }
        }

        @Override
        public Thread reader() {
            return null;
        }

        @Override
        public String summary() {
            return Launcher.printable(request.path()) + (request.user().isEmpty() ? "" : " user=" + Launcher.printable(request.user()))
                    + " bytes=" + tally.bytes();
        }
    }
}
