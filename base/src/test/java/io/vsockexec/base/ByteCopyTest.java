package io.vsockexec.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteCopyTest {
    @Test
    void copiesEveryByteInOrderAndCountsThem() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long copied = ByteCopy.copy(new ByteArrayInputStream(data), out);

        assertThat(copied).isEqualTo(data.length);
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void theBufferGrowsFromFourToSixtyFourKibWhileReadsFillIt() throws IOException {
        List<Integer> asked = new ArrayList<>();
        InputStream in = new FilterInputStream(new ByteArrayInputStream(new byte[1 << 20])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                asked.add(len);
                return super.read(b, off, len);
            }
        };

        ByteCopy.copy(in, new ByteArrayOutputStream());

        assertThat(asked.subList(0, 6)).containsExactly(4096, 8192, 16384, 32768, 65536, 65536);
    }

    @Test
    void anEmptyInputCopiesNothing() throws IOException {
        assertThat(ByteCopy.copy(InputStream.nullInputStream(), new ByteArrayOutputStream())).isZero();
    }
}
