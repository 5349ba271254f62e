package io.vsockexec.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedMemoryTest {
    @Test
    void twoMappingsOfOneFileSeeEachOthersWrites() throws Exception {
        try (Descriptor file = SharedMemory.createFile("test memory", 1 << 16);
                SharedMemory a = SharedMemory.map(file, 1 << 16);
                SharedMemory b = SharedMemory.map(file, 1 << 16)) {
            a.segment().set(JAVA_LONG_UNALIGNED, 4096, 0x1122334455667788L);
            assertThat(b.segment().get(JAVA_LONG_UNALIGNED, 4096)).isEqualTo(0x1122334455667788L);
            assertThat(b.size()).isEqualTo(1 << 16);
        }
    }

    @Test
    void accessesOutsideTheMappingThrowRatherThanTouchOtherMemory() throws Exception {
        try (Descriptor file = SharedMemory.createFile("test memory", 4096);
                SharedMemory m = SharedMemory.map(file, 4096)) {
            assertThatThrownBy(() -> m.segment().get(JAVA_BYTE, 4096)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> m.segment().asSlice(4000, 200)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void accessesAfterCloseThrow() throws Exception {
        SharedMemory m;
        try (Descriptor file = SharedMemory.createFile("test memory", 4096)) {
            m = SharedMemory.map(file, 4096);
        }
        m.segment().set(JAVA_BYTE, 0, (byte) 1); // the mapping outlives the descriptor
        m.close();
        m.close();
        assertThatThrownBy(() -> m.segment().get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mappingSomethingUnmappableNamesTheDescriptor() throws Exception {
        Descriptor[] pair = SocketPair.create("not a file");
        try {
            assertThatThrownBy(() -> SharedMemory.map(pair[0], 4096))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("mmap not a file (0): ENODEV");
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void descriptorsPassedOverAUnixSocketShareTheMemory() throws Exception {
        Descriptor[] pair = SocketPair.create("vhost-user");
        try (Descriptor file = SharedMemory.createFile("guest memory", 8192);
                SharedMemory mine = SharedMemory.map(file, 8192);
                Descriptor event = EventFd.create("kick")) {
            byte[] message = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            DescriptorPassing.send(pair[0], message, 0, message.length, List.of(file, event), ProcessTesting.patience());

            byte[] header = new byte[message.length];
            DescriptorPassing.Received r = DescriptorPassing.receive(pair[1], header, 0, header.length, "region",
                    ProcessTesting.patience());
            try (SharedMemory theirs = SharedMemory.map(r.descriptors().get(0), 8192)) {
                assertThat(r.bytes()).isEqualTo(12);
                assertThat(header).isEqualTo(message);
                assertThat(r.descriptors()).hasSize(2);
                theirs.segment().set(JAVA_BYTE, 8191, (byte) 42);
                assertThat(mine.segment().get(JAVA_BYTE, 8191)).isEqualTo((byte) 42);

                byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
                r.descriptors().get(1).write(one, 0, one.length, ProcessTesting.patience());
                byte[] counter = new byte[8];
                assertThat(event.read(counter, 0, 8, ProcessTesting.patience())).isEqualTo(8);
                assertThat(counter[0]).isEqualTo((byte) 1);
            } finally {
                r.closeDescriptors();
            }
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void receivingAtEndOfStreamThrowsEof() throws Exception {
        Descriptor[] pair = SocketPair.create("vhost-user");
        pair[0].close();
        try {
            assertThatThrownBy(() -> DescriptorPassing.receive(pair[1], new byte[4], 0, 4, "x",
                    ProcessTesting.patience())).isInstanceOf(java.io.EOFException.class);
        } finally {
            pair[1].close();
        }
    }
}
