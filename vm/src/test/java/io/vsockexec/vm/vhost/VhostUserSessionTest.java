package io.vsockexec.vm.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.nativeio.Descriptor;
import io.vsockexec.nativeio.SharedMemory;
import io.vsockexec.vm.VsockBackend;
import io.vsockexec.vm.fake.FakeFrontEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vhost-user protocol as a front-end sees it: the replies and their flags, negotiation, the
 * memory table and rings, and what a front-end that breaks the protocol gets (an error where it
 * asked for an acknowledgement, then a clean disconnect; the back-end then serves the next).
 */
class VhostUserSessionTest {
    static final int GET_FEATURES = 1;
    static final int SET_OWNER = 3;
    static final int SET_MEM_TABLE = 5;
    static final int SET_VRING_ADDR = 9;
    static final int GET_VRING_BASE = 11;
    static final int GET_PROTOCOL_FEATURES = 15;
    static final int SET_PROTOCOL_FEATURES = 16;
    static final int SET_VRING_NUM = 8;
    static final int GET_CONFIG = 24;
    static final long REPLY_ACK = 1L << 3;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    VsockBackend backend;
    FakeFrontEnd frontEnd;

    @BeforeEach
    void start() throws IOException {
        backend = VsockBackend.start(dir.resolve("vhost.sock"), dir.resolve("vm.sock"), 3);
        frontEnd = FakeFrontEnd.connect(dir.resolve("vhost.sock"));
    }

    @AfterEach
    void stop() {
        frontEnd.close();
        backend.close();
    }

    /** Negotiates protocol features with acknowledgements, as user-mode Linux does. */
    void withReplyAck() throws IOException {
        frontEnd.send(SET_PROTOCOL_FEATURES, 0x1, FakeFrontEnd.u64(REPLY_ACK | 1L << 5 | 1L << 9), List.of());
    }

    @Test
    void repliesCarryExactlyTheVersionAndReplyFlags() throws IOException {
        FakeFrontEnd.Reply r = frontEnd.ask(GET_FEATURES, new byte[0]);
        assertThat(r.flags()).isEqualTo(0x5);
        assertThat(r.request()).isEqualTo(GET_FEATURES);
        assertThat(r.u64()).isEqualTo(1L << 32 | 1L << 30);
    }

    @Test
    void theProtocolFeaturesAreAcknowledgementsTheBackEndChannelAndTheConfigSpace() throws IOException {
        assertThat(frontEnd.ask(GET_PROTOCOL_FEATURES, new byte[0]).u64()).isEqualTo(1L << 3 | 1L << 5 | 1L << 9);
    }

    @Test
    void everyRequestWithoutAReplyOfItsOwnIsAcknowledgedWhenAsked() throws IOException {
        withReplyAck();
        assertThat(frontEnd.request(SET_OWNER, new byte[0])).isZero();
    }

    @Test
    void configReadsEchoTheRequestedSizesAndHoldTheCid() throws IOException {
        withReplyAck();
        byte[] request = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(8).putInt(0).array();
        FakeFrontEnd.Reply r = frontEnd.ask(GET_CONFIG, request);
        assertThat(r.flags()).isEqualTo(0x5);
        assertThat(r.payload()).hasSize(20);
        ByteBuffer b = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isEqualTo(8);
        b.getInt();
        assertThat(b.getLong()).isEqualTo(3);
    }

    @Test
    void aFullStartUpAsUserModeLinuxDoesItSucceeds() throws IOException {
        frontEnd.start(16, 3776);
        assertThat(frontEnd.guestCid()).isEqualTo(3);
        assertThat(backend.frontEndAttached()).isTrue();
    }

    @Test
    void stoppingARingReportsWhereTheDeviceStopped() throws IOException {
        frontEnd.start(16, 3776);
        frontEnd.transmit(FakeFrontEnd.header(3, 2, 1, 2, 0, 1, 6, 0, 0, 0), new byte[0]);
        frontEnd.transmit(FakeFrontEnd.header(3, 2, 1, 2, 0, 1, 6, 0, 0, 0), new byte[0]);
        frontEnd.queue(1).awaitUsed(WAIT);
        frontEnd.queue(1).awaitUsed(WAIT);
        FakeFrontEnd.Reply r = frontEnd.ask(GET_VRING_BASE, FakeFrontEnd.state(1, 0));
        ByteBuffer b = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(2);
    }

    @Test
    void anUnknownRequestIsAnsweredWithAnErrorAndTheConnectionClosed() throws IOException {
        withReplyAck();
        assertThat(frontEnd.request(99, new byte[0])).isNotZero();
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aPayloadSizeBeyondTheLimitClosesTheConnectionWithoutReadingIt() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(SET_OWNER).putInt(1)
                .putInt(1 << 30);
        frontEnd.send(SET_OWNER, 0x1, new byte[0], List.of()); // a good one first
        io.vsockexec.nativeio.DescriptorPassing.send(rawSocket(), header.array(), 0, 12, List.of(),
                io.vsockexec.base.Deadline.after(WAIT));
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aMessageOfAnotherProtocolVersionClosesTheConnection() throws IOException {
        frontEnd.send(GET_FEATURES, 0x2, new byte[0], List.of());
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aMemoryTableWithoutItsDescriptorIsRefused() throws IOException {
        withReplyAck();
        assertThat(frontEnd.request(SET_MEM_TABLE, frontEnd.memTable())).isNotZero();
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aMemoryTableClaimingMoreRegionsThanItHoldsIsRefused() throws IOException {
        withReplyAck();
        byte[] table = frontEnd.memTable();
        table[0] = 3; // three regions in room for two
        try (Descriptor file = SharedMemory.createFile("m", 4096)) {
            assertThat(frontEnd.request(SET_MEM_TABLE, table, file)).isNotZero();
        }
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aRingOutsideGuestMemoryIsRefused() throws IOException {
        withReplyAck();
        try (Descriptor file = SharedMemory.createFile("m", FakeFrontEnd.MEMORY)) {
            assertThat(frontEnd.request(SET_MEM_TABLE, frontEnd.memTable(), file)).isZero();
        }
        assertThat(frontEnd.request(SET_VRING_NUM, FakeFrontEnd.state(0, 256))).isZero();
        byte[] addr = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0)
                .putLong(FakeFrontEnd.USER_BASE + FakeFrontEnd.MEMORY - 64).putLong(FakeFrontEnd.USER_BASE + 0x2000)
                .putLong(FakeFrontEnd.USER_BASE + 0x1000).putLong(-1).array();
        assertThat(frontEnd.request(SET_VRING_ADDR, addr)).isNotZero();
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aQueueTheDeviceDoesNotHaveIsRefused() throws IOException {
        withReplyAck();
        assertThat(frontEnd.request(SET_VRING_NUM, FakeFrontEnd.state(3, 256))).isNotZero();
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void aQueueSizeThatIsNoPowerOfTwoIsRefused() throws IOException {
        withReplyAck();
        assertThat(frontEnd.request(SET_VRING_NUM, FakeFrontEnd.state(0, 100))).isNotZero();
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
    }

    @Test
    void afterAFrontEndThatBrokeTheProtocolTheNextIsServed() throws Exception {
        withReplyAck();
        frontEnd.request(99, new byte[0]);
        assertThat(frontEnd.closedByBackEnd(WAIT)).isTrue();
        assertThat(backend.awaitNoFrontEnd(WAIT)).isTrue();
        frontEnd.close();
        frontEnd = FakeFrontEnd.connect(dir.resolve("vhost.sock"));
        frontEnd.start(16, 3776);
        assertThat(frontEnd.guestCid()).isEqualTo(3);
        assertThat(backend.sessions()).isEqualTo(2);
    }

    private Descriptor rawSocket() {
        return frontEnd.socket();
    }
}
