package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void keepsItsOwnCopyAndHandsOutCopies() {
        byte[] given = "in".getBytes(UTF_8);
        Bytes bytes = Bytes.of(given);

        given[0] = 'X';
        bytes.toByteArray()[1] = 'Y';

        assertThat(bytes.toByteArray()).isEqualTo("in".getBytes(UTF_8));
        assertThat(bytes.utf8Text()).isEqualTo("in");
    }

    @Test
    void comparesByContent() {
        assertThat(Bytes.utf8("abc")).isEqualTo(Bytes.of("abc".getBytes(UTF_8)))
                .hasSameHashCodeAs(Bytes.of("abc".getBytes(UTF_8)))
                .isNotEqualTo(Bytes.utf8("abd"))
                .isNotEqualTo(Bytes.utf8("ab"));
    }

    @Test
    void nullAndNothingAreEmpty() {
        assertThat(Bytes.of(null)).isSameAs(Bytes.EMPTY);
        assertThat(Bytes.of(new byte[0])).isEqualTo(Bytes.EMPTY);
        assertThat(Bytes.EMPTY.isEmpty()).isTrue();
        assertThat(Bytes.EMPTY.length()).isZero();
    }

    @Test
    void toStringGivesTheLengthNeverTheContent() {
        assertThat(Bytes.utf8("secret")).hasToString("6 bytes");
    }
}
