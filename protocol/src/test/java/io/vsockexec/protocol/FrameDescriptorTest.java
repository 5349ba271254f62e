package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.hex;
import static io.vsockexec.protocol.TestStreams.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameDescriptorTest {

    @Test
    void headerIsTypeByteThenFourByteLength() {
        assertThat(FrameDescriptor.TYPE_OFFSET).isZero();
        assertThat(FrameDescriptor.LENGTH_OFFSET).isEqualTo(1);
        assertThat(FrameDescriptor.PAYLOAD_OFFSET).isEqualTo(5);
        assertThat(FrameDescriptor.HEADER_LENGTH).isEqualTo(5);
        assertThat(FrameDescriptor.DEFAULT_MAX_PAYLOAD).isEqualTo(16_777_216);
    }

    @Test
    void putHeaderWritesTypeThenBigEndianLengthAtTheFrameOffset() {
        byte[] buffer = new byte[9];

        FrameDescriptor.putHeader(buffer, 2, MessageType.EXEC_PIPE, 0x01020304);

        assertThat(hex(buffer)).isEqualTo("00000c010203040000");
    }

    @Test
    void getHeaderFieldsReadsThemUnsigned() {
        byte[] header = unhex("ff ffffffff");

        assertThat(FrameDescriptor.getTypeCode(header, 0)).isEqualTo(255);
        assertThat(FrameDescriptor.getPayloadLength(header, 0)).isEqualTo(4_294_967_295L);
    }

    @Test
    void getHeaderFieldsReadsAtTheFrameOffset() {
        byte[] buffer = unhex("aaaa 0a 00000004");

        assertThat(FrameDescriptor.getTypeCode(buffer, 2)).isEqualTo(MessageType.EXIT.code());
        assertThat(FrameDescriptor.getPayloadLength(buffer, 2)).isEqualTo(4);
    }

    @Test
    void rejectsNegativePayloadLength() {
        assertThatThrownBy(() -> FrameDescriptor.putHeader(new byte[5], 0, MessageType.STDOUT, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void aPayloadLimitIsCheckedAgainstTheCallersBoundsAndNamedInTheMessage() {
        assertThat(FrameDescriptor.checkMaxPayload("max frame", 65536, 65536, 1 << 30)).isEqualTo(65536);
        assertThatThrownBy(() -> FrameDescriptor.checkMaxPayload("max frame", 65535, 65536, 1 << 30))
                .hasMessage("max frame must be between 65536 and 1073741824 bytes, got 65535");
        assertThatThrownBy(() -> FrameDescriptor.checkMaxPayload("maxFrame", 0))
                .hasMessage("maxFrame must be between 1 and " + FrameDescriptor.LARGEST_MAX_PAYLOAD + " bytes, got 0");
    }

    @Test
    void boundsBeyondWhatAFrameCanHoldAreRejected() {
        assertThatThrownBy(() -> FrameDescriptor.checkMaxPayload("limit", 10, 0, 100))
                .hasMessageStartingWith("bounds of limit must lie within 1 to");
        assertThatThrownBy(() -> FrameDescriptor.checkMaxPayload("limit", 10, 1, Integer.MAX_VALUE))
                .hasMessageStartingWith("bounds of limit must lie within 1 to");
    }
}
