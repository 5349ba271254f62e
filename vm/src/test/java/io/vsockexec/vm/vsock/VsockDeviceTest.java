package io.vsockexec.vm.vsock;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.vm.VsockBackend;
import io.vsockexec.vm.fake.FakeFrontEnd.Received;
import io.vsockexec.vm.fake.FakeFrontEnd;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vsock device against a fake guest driver ({@link FakeFrontEnd}) on one side and real Unix
 * sockets on the other: connection set-up both ways, every operation, credit both ways, and
 * what a guest that breaks the rules gets.
 */
class VsockDeviceTest {
    static final long CID = 3;
    static final int REQUEST = 1;
    static final int RESPONSE = 2;
    static final int RST = 3;
    static final int SHUTDOWN = 4;
    static final int RW = 5;
    static final int CREDIT_UPDATE = 6;
    static final int CREDIT_REQUEST = 7;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** What the fake guest advertises, as Linux does. */
    static final int GUEST_BUF = 262144;

    @TempDir
    Path dir;
    VsockBackend backend;
    FakeFrontEnd guest;

    @BeforeEach
    void start() throws IOException {
        backend = VsockBackend.start(dir.resolve("vhost.sock"), dir.resolve("vm.sock"), CID);
        guest = FakeFrontEnd.connect(dir.resolve("vhost.sock"));
        guest.start(64, 3776);
    }

    @AfterEach
    void stop() {
        guest.close();
        backend.close();
    }

    // ------------------------------------------------------------------ helpers

    void transmit(int srcPort, int dstPort, int op, int flags, byte[] payload) throws IOException {
        transmit(srcPort, dstPort, op, flags, payload, GUEST_BUF, 0);
    }

    void transmit(int srcPort, int dstPort, int op, int flags, byte[] payload, int bufAlloc, int fwdCnt)
            throws IOException {
        guest.transmit(FakeFrontEnd.header(CID, 2, srcPort, dstPort, payload.length, 1, op, flags, bufAlloc, fwdCnt),
                payload);
    }

    Received next() throws IOException {
        return guest.receive(WAIT);
    }

    /** A host client that asked for guest port {@code port}; the guest has not answered yet. */
    NativeSocket hostClient(int port) throws IOException {
        NativeSocket s = NativeSocket.connect(UnixDomainSocketAddress.of(dir.resolve("vm.sock")), Deadline.after(WAIT));
        byte[] line = ("CONNECT " + port + "\n").getBytes(US_ASCII);
        s.write(line, 0, line.length, Deadline.after(WAIT));
        return s;
    }

    /** A host client connected to guest port {@code port}; the guest's REQUEST answered. Returns the packet. */
    Received connected(NativeSocket client, int port) throws IOException {
        Received request = next();
        assertThat(request.op()).isEqualTo(REQUEST);
        assertThat(request.dstPort()).isEqualTo(port);
        transmit(port, request.srcPort(), RESPONSE, 0, new byte[0]);
        assertThat(readLine(client)).isEqualTo("OK " + Integer.toUnsignedString(request.srcPort()));
        return request;
    }

    static String readLine(NativeSocket s) throws IOException {
        StringBuilder b = new StringBuilder();
        byte[] one = new byte[1];
        while (s.read(one, 0, 1, Deadline.after(WAIT)) > 0 && one[0] != '\n') {
            b.append((char) one[0]);
        }
        return b.toString();
    }

    static byte[] readExactly(NativeSocket s, int n) throws IOException {
        byte[] b = new byte[n];
        int done = 0;
        while (done < n) {
            int r = s.read(b, done, n - done, Deadline.after(WAIT));
            if (r < 0) {
                throw new java.io.EOFException("after " + done + " of " + n);
            }
            done += r;
        }
        return b;
    }

    static void write(NativeSocket s, byte[] b) throws IOException {
        s.write(b, 0, b.length, Deadline.after(WAIT));
    }

    // ------------------------------------------------------------------ set-up

    @Test
    void theConfigSpaceHoldsTheGuestCid() throws IOException {
        assertThat(guest.guestCid()).isEqualTo(CID);
    }

    @Test
    void aHostClientGetsOkWithItsLocalPortOnceTheGuestAccepts() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = next();
            assertThat(request.srcCid()).isEqualTo(2);
            assertThat(request.dstCid()).isEqualTo(CID);
            assertThat(Integer.toUnsignedLong(request.srcPort())).isGreaterThanOrEqualTo(1L << 30);
            assertThat(request.bufAlloc()).isEqualTo(Credit.BUF_ALLOC);
            transmit(5000, request.srcPort(), RESPONSE, 0, new byte[0]);
            assertThat(readLine(client)).isEqualTo("OK " + request.srcPort());
        }
    }

    @Test
    void aHostClientIsClosedWhenTheGuestRefuses() throws IOException {
        try (NativeSocket client = hostClient(5001)) {
            Received request = next();
            transmit(5001, request.srcPort(), RST, 0, new byte[0]);
            assertThat(client.read(new byte[8], 0, 8, Deadline.after(WAIT))).isEqualTo(-1);
        }
    }

    @Test
    void aMalformedConnectLineIsClosedWithoutBotheringTheGuest() throws IOException {
        try (NativeSocket s = NativeSocket.connect(UnixDomainSocketAddress.of(dir.resolve("vm.sock")),
                Deadline.after(WAIT))) {
            write(s, "HELLO 5000\n".getBytes(US_ASCII));
            assertThat(s.read(new byte[8], 0, 8, Deadline.after(WAIT))).isEqualTo(-1);
        }
        assertThat(guest.queue(0).hasUsed()).isFalse();
    }

    @Test
    void aGuestConnectionReachesTheListenerOnTheSocketForItsPort() throws IOException {
        try (NativeServerSocket listener = NativeServerSocket.bind(UnixDomainSocketAddress.of(dir.resolve("vm.sock_1234")))) {
            transmit(40000, 1234, REQUEST, 0, new byte[0]);
            try (NativeSocket host = listener.accept(Deadline.after(WAIT))) {
                Received response = next();
                assertThat(response.op()).isEqualTo(RESPONSE);
                assertThat(response.srcPort()).isEqualTo(1234);
                assertThat(response.dstPort()).isEqualTo(40000);
                transmit(40000, 1234, RW, 0, "ping".getBytes(US_ASCII));
                assertThat(new String(readExactly(host, 4), US_ASCII)).isEqualTo("ping");
                write(host, "pong".getBytes(US_ASCII));
                Received data = next();
                assertThat(data.op()).isEqualTo(RW);
                assertThat(new String(data.payload(), US_ASCII)).isEqualTo("pong");
            }
        }
    }

    @Test
    void aGuestConnectionToAPortNobodyListensOnIsReset() throws IOException {
        transmit(40001, 4321, REQUEST, 0, new byte[0]);
        Received r = next();
        assertThat(r.op()).isEqualTo(RST);
        assertThat(r.dstPort()).isEqualTo(40001);
    }

    // ------------------------------------------------------------------ data and shutdown

    @Test
    void bytesFlowBothWaysAndHostDataIsSplitToTheGuestsBuffers() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            byte[] big = new byte[10000];
            Arrays.fill(big, (byte) 'x');
            write(client, big);
            int got = 0;
            while (got < big.length) {
                Received r = next();
                assertThat(r.op()).isEqualTo(RW);
                assertThat(r.payload().length).isLessThanOrEqualTo(3776 - 44).isEqualTo(r.len());
                got += r.payload().length;
            }
            assertThat(got).isEqualTo(big.length);
            transmit(5000, request.srcPort(), RW, 0, "from the guest".getBytes(US_ASCII));
            assertThat(new String(readExactly(client, 14), US_ASCII)).isEqualTo("from the guest");
        }
    }

    @Test
    void shutdownsTravelBothWaysAndEndInAReset() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            int port = request.srcPort();
            client.shutdownOutput();
            Received shut = next();
            assertThat(shut.op()).isEqualTo(SHUTDOWN);
            assertThat(shut.flags()).isEqualTo(PacketHeader.SHUTDOWN_SEND);
            transmit(5000, port, RW, 0, "last words".getBytes(US_ASCII));
            transmit(5000, port, SHUTDOWN, PacketHeader.SHUTDOWN_BOTH, new byte[0]);
            assertThat(new String(readExactly(client, 10), US_ASCII)).isEqualTo("last words");
            assertThat(client.read(new byte[1], 0, 1, Deadline.after(WAIT))).isEqualTo(-1);
            Received reset = next();
            assertThat(reset.op()).isEqualTo(RST);
            assertThat(reset.srcPort()).isEqualTo(port);
            assertThat(reset.dstPort()).isEqualTo(5000);
        }
    }

    @Test
    void aGuestResetClosesTheHostSocket() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            transmit(5000, request.srcPort(), RST, 0, new byte[0]);
            assertThat(client.read(new byte[1], 0, 1, Deadline.after(WAIT))).isEqualTo(-1);
        }
    }

    @Test
    void aHostClientThatGoesAwayResetsTheGuestOnItsNextWrite() throws IOException {
        NativeSocket client = hostClient(5000);
        Received request = connected(client, 5000);
        client.close();
        Received r = next();
        if (r.op() == SHUTDOWN) { // the end of the client's output arrives first
            transmit(5000, request.srcPort(), RW, 0, new byte[100]);
            r = next();
        }
        assertThat(r.op()).isEqualTo(RST);
    }

    @Test
    void packetsForStreamsThatDoNotExistAreReset() throws IOException {
        transmit(777, 5555, RW, 0, "stray".getBytes(US_ASCII));
        Received r = next();
        assertThat(r.op()).isEqualTo(RST);
        assertThat(r.srcPort()).isEqualTo(5555);
        assertThat(r.dstPort()).isEqualTo(777);
    }

    @Test
    void aPacketForACidOtherThanTheHostsIsReset() throws IOException {
        guest.transmit(FakeFrontEnd.header(CID, 1234, 40000, 5000, 0, 1, REQUEST, 0, GUEST_BUF, 0), new byte[0]);
        assertThat(next().op()).isEqualTo(RST);
    }

    @Test
    void malformedTransmitChainsAreHandedBackAndTheQueueGoesOn() throws IOException {
        FakeFrontEnd.Queue tx = guest.queue(1);
        int outside = tx.newDescriptor();
        tx.setDescriptor(outside, FakeFrontEnd.GUEST_BASE + FakeFrontEnd.MEMORY - 8, 44, 0, 0);
        tx.publish(outside);
        int looping = tx.newDescriptor();
        tx.setDescriptor(looping, FakeFrontEnd.guest(guest.alloc(44, 8)), 44, 1, looping);
        tx.publish(looping);
        tx.kick();
        assertThat(tx.awaitUsed(WAIT)).containsExactly(outside, 0);
        assertThat(tx.awaitUsed(WAIT)).containsExactly(looping, 0);
        // A header whose length claims more than its chain holds: dropped, not read past the chain.
        guest.transmit(FakeFrontEnd.header(CID, 2, 777, 5555, 4096, 1, RW, 0, GUEST_BUF, 0), new byte[10]);
        transmit(778, 5556, RW, 0, "stray".getBytes(US_ASCII));
        Received r = next();
        assertThat(r.op()).isEqualTo(RST);
        assertThat(r.dstPort()).as("only the well-formed packet is answered").isEqualTo(778);
    }

    // ------------------------------------------------------------------ credit

    @Test
    void aCreditRequestIsAnsweredWithTheDevicesCredit() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            transmit(5000, request.srcPort(), CREDIT_REQUEST, 0, new byte[0]);
            Received update = next();
            assertThat(update.op()).isEqualTo(CREDIT_UPDATE);
            assertThat(update.bufAlloc()).isEqualTo(Credit.BUF_ALLOC);
            assertThat(update.fwdCnt()).isZero();
        }
    }

    @Test
    void aGuestThatAsksForCreditAgainAndAgainWhileItsQueueIsFullGetsOneAnswer() throws IOException {
        try (NativeServerSocket listener = NativeServerSocket.bind(UnixDomainSocketAddress.of(dir.resolve("vm.sock_77")))) {
            transmit(41000, 77, REQUEST, 0, new byte[0]);
            try (NativeSocket host = listener.accept(Deadline.after(WAIT))) {
                assertThat(next().op()).isEqualTo(RESPONSE);
                // The host fills every receive buffer the guest has, and the guest gives none back.
                write(host, new byte[64 * 3732]);
                for (int i = 0; i < 64; i++) {
                    assertThat(guest.receive(WAIT, false).op()).isEqualTo(RW);
                }
                for (int i = 0; i < 50; i++) {
                    transmit(41000, 77, CREDIT_REQUEST, 0, new byte[0]);
                }
                guest.awaitTransmitted(); // all fifty asked before there is room for an answer
                guest.fillRx(16, 3776);
                transmit(999, 998, RW, 0, new byte[1]); // a stray packet: its reset follows what was queued
                Received first = next();
                while (first.op() == RW) { // the host's bytes flow again too
                    first = next();
                }
                assertThat(first.op()).isEqualTo(CREDIT_UPDATE);
                Received second = next();
                while (second.op() == RW) {
                    second = next();
                }
                assertThat(second.op()).as("one answer to fifty requests").isEqualTo(RST);
            }
        }
    }

    @Test
    void theHostSendsNoMoreThanTheGuestsCreditUntilItGrows() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = next();
            int port = request.srcPort();
            transmit(5000, port, RESPONSE, 0, new byte[0], 1000, 0); // the guest has room for 1000 bytes
            assertThat(readLine(client)).startsWith("OK ");
            write(client, new byte[5000]);
            int got = 0;
            while (got < 1000) {
                Received r = next();
                assertThat(r.op()).isEqualTo(RW);
                got += r.payload().length;
            }
            assertThat(got).isEqualTo(1000);
            Received ask = next(); // out of credit, the device asks for an update
            assertThat(ask.op()).isEqualTo(CREDIT_REQUEST);
            assertThat(guest.queue(0).hasUsed()).as("nothing beyond the credit").isFalse();
            transmit(5000, port, CREDIT_UPDATE, 0, new byte[0], 1000, 1000); // the guest read it all
            while (got < 2000) {
                Received r = next();
                assertThat(r.op()).isEqualTo(RW);
                got += r.payload().length;
            }
            assertThat(got).isEqualTo(2000);
        }
    }

    @Test
    void theDeviceAnnouncesRoomOnceItForwardedEnoughOfTheGuestsBytes() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            byte[] chunk = new byte[32 * 1024];
            for (int i = 0; i < 4; i++) { // 128 KiB: more than the announcement threshold
                transmit(5000, request.srcPort(), RW, 0, chunk);
            }
            readExactly(client, 4 * chunk.length);
            Received update = next();
            assertThat(update.op()).isEqualTo(CREDIT_UPDATE);
            assertThat(update.fwdCnt()).isGreaterThanOrEqualTo(Credit.ANNOUNCE_THRESHOLD);
        }
    }

    @Test
    void aGuestThatSendsBeyondItsCreditIsReset() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            int port = connected(client, 5000).srcPort();
            // The host client reads nothing; the device forwards what the socket takes and says
            // so. The guest uses all the credit it was told of, then sends one byte more. After
            // each packet, a stray packet's reset marks the end of what the device sent while it
            // took that packet: a reset must come only for a byte that no count it told covers,
            // and a byte taken must be covered by a count told before that mark.
            long sent = 0;
            long told = 0;
            while (true) {
                long credit = Credit.BUF_ALLOC - (sent - told);
                int n = credit > 0 ? (int) Math.min(credit, 64 * 1024) : 1;
                transmit(5000, port, RW, 0, new byte[n]);
                sent += n;
                for (Received r : untilStrayReset()) {
                    if (r.op() == RST) {
                        assertThat(sent - told).as("reset with %d bytes sent and a forwarded count of %d told", sent, told)
                                .isGreaterThan(Credit.BUF_ALLOC);
                        return;
                    }
                    assertThat(r.op()).isEqualTo(CREDIT_UPDATE);
                    told = Integer.toUnsignedLong(r.fwdCnt());
                }
                assertThat(sent - told).as("taken with %d bytes sent and a forwarded count of %d told", sent, told)
                        .isLessThanOrEqualTo(Credit.BUF_ALLOC);
            }
        }
    }

    /**
     * Sends a packet for a stream that does not exist and returns what the device sent before its
     * reset: the transmit queue is taken in order and control packets are placed in order, so that
     * is everything the device sent in answer to the packets before it (and perhaps more).
     */
    List<Received> untilStrayReset() throws IOException {
        transmit(999, 998, RW, 0, new byte[1]);
        List<Received> before = new ArrayList<>();
        for (Received r = next(); r.op() != RST || r.dstPort() != 999; r = next()) {
            before.add(r);
        }
        return before;
    }

    @Test
    void aGuestThatStaysWithinItsCreditIsNeverReset() throws IOException {
        try (NativeSocket client = hostClient(5000)) {
            Received request = connected(client, 5000);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 4; i++) { // exactly the credit, while the host reads nothing
                transmit(5000, request.srcPort(), RW, 0, chunk);
            }
            readExactly(client, 4 * chunk.length);
            transmit(5000, request.srcPort(), RW, 0, "more".getBytes(US_ASCII));
            assertThat(new String(readExactly(client, 4), US_ASCII)).isEqualTo("more");
        }
    }

    @Test
    void threeHundredStreamsAtOnceEachCarryTheirOwnBytes() throws Exception {
        int count = 300;
        java.util.List<NativeSocket> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(hostClient(5000));
            }
            java.util.Map<Integer, Integer> portToClient = new java.util.HashMap<>();
            for (int i = 0; i < count; i++) {
                Received request = next();
                assertThat(request.op()).isEqualTo(REQUEST);
                transmit(5000, request.srcPort(), RESPONSE, 0, new byte[0]);
                portToClient.put(request.srcPort(), portToClient.size());
            }
            java.util.Map<Integer, Integer> clientToPort = new java.util.HashMap<>();
            for (int i = 0; i < count; i++) {
                String ok = readLine(clients.get(i));
                assertThat(ok).startsWith("OK ");
                clientToPort.put(i, Integer.parseUnsignedInt(ok.substring(3)));
                write(clients.get(i), ("client-" + i).getBytes(US_ASCII));
            }
            java.util.Map<Integer, String> heard = new java.util.HashMap<>();
            while (heard.size() < count) {
                Received r = next();
                assertThat(r.op()).isEqualTo(RW);
                heard.merge(r.srcPort(), new String(r.payload(), US_ASCII), String::concat);
            }
            for (int i = 0; i < count; i++) {
                int port = clientToPort.get(i);
                assertThat(heard.get(port)).isEqualTo("client-" + i);
                transmit(5000, port, RW, 0, ("answer-" + i).getBytes(US_ASCII));
            }
            for (int i = 0; i < count; i++) {
                String expected = "answer-" + i;
                assertThat(new String(readExactly(clients.get(i), expected.length()), US_ASCII)).isEqualTo(expected);
            }
            assertThat(backend.streamCount()).isEqualTo(count);
        } finally {
            clients.forEach(NativeSocket::close);
        }
    }

    // ------------------------------------------------------------------ the guest goes away

    @Test
    void whenTheFrontEndGoesAwayHostClientsSeeTheirStreamsEnd() throws Exception {
        NativeSocket client = hostClient(5000);
        connected(client, 5000);
        guest.close();
        assertThat(client.read(new byte[1], 0, 1, Deadline.after(WAIT))).isEqualTo(-1);
        client.close();
        assertThat(backend.awaitNoFrontEnd(WAIT)).isTrue();
        assertThat(backend.streamCount()).isZero();
        // The next guest attaches to the same back-end and serves.
        guest = FakeFrontEnd.connect(dir.resolve("vhost.sock"));
        guest.start(64, 3776);
        try (NativeSocket again = hostClient(5000)) {
            connected(again, 5000);
        }
    }

    @Test
    void aHostClientWithNoGuestAttachedIsClosed() throws Exception {
        guest.close();
        assertThat(backend.awaitNoFrontEnd(WAIT)).isTrue();
        try (NativeSocket client = hostClient(5000)) {
            assertThat(client.read(new byte[1], 0, 1, Deadline.after(WAIT))).isEqualTo(-1);
        }
    }
}
