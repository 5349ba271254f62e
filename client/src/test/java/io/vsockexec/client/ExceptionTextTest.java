package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import org.junit.jupiter.api.Test;

class ExceptionTextTest {
    @Test
    void isTheMessageWhenThereIsOne() {
        assertThat(ExceptionText.of(new EOFException("stream ended"))).isEqualTo("stream ended");
    }

    @Test
    void isTheSimpleClassNameWhenTheMessageIsNullOrBlank() {
        assertThat(ExceptionText.of(new EOFException())).isEqualTo("EOFException");
        assertThat(ExceptionText.of(new EOFException(" "))).isEqualTo("EOFException");
    }
}
